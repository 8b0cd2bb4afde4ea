"""What signals tell the registry's need-to-know: an agency's signals concern their linked
subjects and their family; the agency a signal is routed to works with them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import ngettext

from ochag.registry.involvement import Involvement, Provider
from ochag.signals.models import Signal, SignalSubject
from ochag.signals.policies import signals

if TYPE_CHECKING:
    from ochag.access.models import User


def involvement(user: User) -> Involvement:
    seen = signals.visible(user).values("pk")
    return Involvement(
        persons=SignalSubject.objects.filter(signal__in=seen, person__isnull=False).values(
            "person_id"
        ),
        households=Signal.objects.filter(pk__in=seen, household__isnull=False).values(
            "household_id"
        ),
    )


def owners(person_ids: list[int], household_ids: list[int]) -> Iterable[int]:
    about = Q(household_id__in=household_ids) | Q(
        pk__in=SignalSubject.objects.filter(person_id__in=person_ids).values("signal_id")
    )
    return set(
        Signal.objects.filter(about, routed_to__isnull=False).values_list("routed_to_id", flat=True)
    )


def person_needs(person_id: int) -> list[str]:
    """Signals that name the person keep the record (they go first, by their own term)."""
    n = SignalSubject.objects.filter(person_id=person_id).values("signal_id").distinct().count()
    if not n:
        return []
    return [ngettext("%(n)s signal naming the person", "%(n)s signals naming the person", n)
            % {"n": n}]  # fmt: skip


provider = Provider(name="signals", involvement=involvement, owners=owners)
