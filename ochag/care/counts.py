"""Care's public counts for other apps (monitoring's indicators, domain.md §8): children in
care by institution type, age band (0–4 separate), ground and length of stay; admissions and
discharges by outcome in a period; returns home; reviews done on time.

Every count starts from the placement policy for the asking user and uses the same filter
functions as the children list, so a figure equals the rows behind the list's filter.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, QuerySet

from ochag.access.models import User
from ochag.care import policies, selectors
from ochag.care.models import RETURN_HOME, AgendaItem, Placement


def _visible(user: User) -> QuerySet[Placement]:
    return policies.placements.visible(user)


def in_care_by_type(user: User) -> dict[str, int]:
    rows = selectors.in_care(_visible(user)).values("institution__type").annotate(n=Count("pk"))
    return {r["institution__type"]: r["n"] for r in rows}


def in_care_by_ground(user: User) -> dict[str, int]:
    rows = selectors.in_care(_visible(user)).values("ground").annotate(n=Count("pk"))
    return {r["ground"]: r["n"] for r in rows}


def in_care_by_age_band(user: User, today: dt.date) -> dict[str, int]:
    base = selectors.in_care(_visible(user))
    return {b.code: selectors.age_band(base, b.code, today).count() for b in selectors.AGE_BANDS}


def in_care_by_stay(user: User, today: dt.date) -> dict[str, int]:
    base = selectors.in_care(_visible(user))
    return {b.code: selectors.stay_band(base, b.code, today).count() for b in selectors.STAY_BANDS}


def admissions(user: User, start: dt.date, end: dt.date) -> int:
    return _visible(user).filter(admitted_on__range=(start, end)).count()


def discharges_by_outcome(user: User, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        _visible(user)
        .filter(discharged_on__range=(start, end))
        .values("outcome")
        .annotate(n=Count("pk"))
    )
    return {r["outcome"]: r["n"] for r in rows}


def returns_home(user: User, start: dt.date, end: dt.date) -> int:
    return _visible(user).filter(discharged_on__range=(start, end), outcome__in=RETURN_HOME).count()


def reviews_on_time(user: User, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(reviews done in the period by their due date, reviews done in the period)."""
    done = AgendaItem.objects.filter(
        placement__in=_visible(user).values("pk"), done_on__range=(start, end)
    )
    return done.filter(done_on__lte=F("due_on")).count(), done.count()


def reviews_overdue(user: User, today: dt.date) -> int:
    return selectors.reviews_overdue(
        AgendaItem.objects.filter(placement__in=_visible(user).values("pk")), today
    ).count()
