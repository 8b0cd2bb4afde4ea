"""What support tells the registry's need-to-know: a provider's referrals concern the
referred family; the providing agency works with it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.db.models.functions import Coalesce

from ochag.registry.involvement import Involvement, Provider, households_of
from ochag.support.models import Referral
from ochag.support.policies import referrals

if TYPE_CHECKING:
    from ochag.access.models import User


def involvement(user: User) -> Involvement:
    # A referral concerns its case's family, or its signal's while no case is open.
    households = (
        referrals.visible(user)
        .annotate(family=Coalesce("case__household_id", "signal__household_id"))
        .values("family")
    )
    return Involvement(households=households)


def owners(person_ids: list[int], household_ids: list[int]) -> Iterable[int]:
    homes = households_of(person_ids)
    about = (
        Q(case__household_id__in=household_ids)
        | Q(case__household_id__in=homes)
        | Q(signal__household_id__in=household_ids)
        | Q(signal__household_id__in=homes)
    )
    return set(
        Referral.objects.filter(about).values_list("service__provider__agency_id", flat=True)
    ) - {None}


provider = Provider(name="support", involvement=involvement, owners=owners)
