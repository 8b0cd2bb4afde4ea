"""What the monitoring app counts in placements (its public face for indicators).

Each function returns the placements of one territory subtree (``path``: a territory's
materialised path, matched on the institution's municipality) or the condition a time
window puts on them; an indicator combines the two, and the same combination gives both its
count and its drill-down list. Age and length of stay are read at the moment asked, with the
same bands as the children list (``care.selectors``).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q

from ochag.care import selectors
from ochag.care.models import (
    RETURN_HOME,
    AgendaItem,
    CareSettings,
    Commission,
    Ground,
    InstitutionType,
    MonthlyCost,
    Outcome,
    Placement,
    ReviewKind,
    Sitting,
)

GROUNDS = Ground
INSTITUTION_TYPES = InstitutionType
OUTCOMES = Outcome
REVIEW_KINDS = ReviewKind


def placements_in(path: str) -> models.QuerySet[Placement]:
    return Placement.objects.filter(institution__territory__path__startswith=path).select_related(
        "institution", "institution__territory", "child"
    )


def in_care_q(day: dt.date) -> Q:
    """In care on ``day``: admitted by then and not discharged before it."""
    return Q(admitted_on__lte=day) & (Q(discharged_on__isnull=True) | Q(discharged_on__gt=day))


def age_band_q(day: dt.date, code: str) -> Q:
    """In care on ``day`` and of the age band ``code`` ("0-4", ...) then. A condition on the
    placement's own row and its child (not a sub-select of placements), so a count over
    many windows reads only the territory's placements, once."""
    return in_care_q(day) & selectors.age_band_q(code, day)


def stay_band_q(day: dt.date, code: str) -> Q:
    """In care on ``day`` for the length of stay ``code`` ("lt6", "6-12", "1-3y", "3y+")."""
    return in_care_q(day) & selectors.stay_band_q(code, day)


def admitted_q(first: dt.date, after_last: dt.date) -> Q:
    return Q(admitted_on__gte=first, admitted_on__lt=after_last)


def discharged_q(first: dt.date, after_last: dt.date) -> Q:
    return Q(discharged_on__gte=first, discharged_on__lt=after_last)


def returned_home_q(first: dt.date, after_last: dt.date) -> Q:
    return discharged_q(first, after_last) & Q(outcome__in=RETURN_HOME)


def without_overseer_q(day: dt.date) -> Q:
    """In care on ``day`` with no overseer named (a data-quality check)."""
    return in_care_q(day) & Q(overseer__isnull=True)


def reviews_in(path: str) -> models.QuerySet[AgendaItem]:
    """Placement reviews of the children placed in one territory subtree."""
    return AgendaItem.objects.filter(
        placement__institution__territory__path__startswith=path
    ).select_related("placement", "placement__institution", "placement__institution__territory")


def reviewed_q(first: dt.date, after_last: dt.date) -> Q:
    """Reviews the commission completed in the window (the same rows ``counts.reviews_on_time``
    counts as done)."""
    return Q(done_on__gte=first, done_on__lt=after_last)


def reviewed_on_time_q(first: dt.date, after_last: dt.date) -> Q:
    """Reviews completed in the window no later than their due date."""
    return reviewed_q(first, after_last) & Q(done_on__lte=F("due_on"))


def commissions_of(region_id: int) -> int:
    """How many placement commissions the region has set up (the inspection checklist)."""
    return Commission.objects.filter(region_id=region_id).count()


def sittings_of(region_id: int, first: dt.date, last: dt.date) -> int:
    """Sittings of the region's placement commissions dated from ``first`` to ``last``."""
    sittings = Sitting.objects.filter(commission__region_id=region_id, date__range=(first, last))
    return sittings.count()


# Money (monitoring's cost of institutional care against family support, issue 17 §2).


def in_care_during_q(first: dt.date, after_last: dt.date) -> Q:
    """In care on at least one day of ``[first, after_last)``."""
    return Q(admitted_on__lt=after_last) & (
        Q(discharged_on__isnull=True) | Q(discharged_on__gte=first)
    )


def cost_per_child_month(region_id: int) -> dict[str, float]:
    """The region's cost table: roubles per child-month by institution type."""
    rows = MonthlyCost.objects.filter(region_id=region_id).values_list("type", "per_child_month")
    return {kind: float(cost) for kind, cost in rows}


def family_month_cost(region_id: int) -> float:
    """The region's manual figure for a family-month of support (care settings)."""
    found = (
        CareSettings.objects.filter(region_id=region_id)
        .values_list("family_support_month_cost", flat=True)
        .first()
    )
    return float(found if found is not None else CareSettings().family_support_month_cost)
