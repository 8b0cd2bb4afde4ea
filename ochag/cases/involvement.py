"""What cases tell the registry's need-to-know: a case concerns its family (every member);
its participating agencies and its curator's agency work with them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import ngettext

from ochag.cases.models import Case, CaseParticipant
from ochag.cases.policies import cases
from ochag.registry.involvement import Involvement, Provider, households_of

if TYPE_CHECKING:
    from ochag.access.models import User


def involvement(user: User) -> Involvement:
    return Involvement(households=cases.visible(user).values("household_id"))


def owners(person_ids: list[int], household_ids: list[int]) -> Iterable[int]:
    homes = households_of(person_ids)
    about = Case.objects.filter(Q(household_id__in=household_ids) | Q(household_id__in=homes))
    agencies = set(
        CaseParticipant.objects.filter(case__in=about.values("pk")).values_list(
            "agency_id", flat=True
        )
    )
    agencies.update(a for a in about.values_list("curator__agency_id", flat=True) if a)
    return agencies


def person_needs(person_id: int) -> list[str]:
    """A case of a family the person belongs to keeps the record (cases go by their term)."""
    homes = households_of([person_id])
    n = Case.objects.filter(household_id__in=homes).count()
    if not n:
        return []
    return [ngettext("%(n)s case of the person's family", "%(n)s cases of the person's family", n)
            % {"n": n}]  # fmt: skip


provider = Provider(name="cases", involvement=involvement, owners=owners)
