"""Reads of the care app. Every list starts from a policy's queryset; the filter functions
here are shared by the lists, the coordinator's board and the public counts module
(:mod:`ochag.care.counts`), so a number on a board is the number of rows behind its link.

Length of stay and age are queries (date thresholds), never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ochag.access.models import User
from ochag.care.models import (
    AgendaItem,
    CareSettings,
    Commission,
    CommissionMember,
    Institution,
    MemberRole,
    MonthlyCost,
    Placement,
    Sitting,
)
from ochag.core.models import Territory


def settings_for(region: Territory) -> CareSettings:
    """The region's care settings, or the defaults (unsaved) until the coordinator sets them."""
    return CareSettings.objects.filter(region=region).first() or CareSettings(region=region)


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _months_before(today: dt.date, months: int) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, 28)
    return dt.date(year, month + 1, day)


# --- institutions -------------------------------------------------------------------------


def unvisited(
    rows: QuerySet[Institution], today: dt.date, period_days: int
) -> QuerySet[Institution]:
    """Operating institutions with no visit within the regional period, remote ones first."""
    since = today - dt.timedelta(days=period_days)
    return (
        rows.filter(is_active=True)
        .filter(Q(last_visit_on__isnull=True) | Q(last_visit_on__lt=since))
        .order_by("-is_remote", models.F("last_visit_on").asc(nulls_first=True), "name")
    )


def with_children(rows: QuerySet[Institution]) -> QuerySet[Institution]:
    """Each institution with the number of children in it now (one query for the page)."""
    return rows.annotate(
        in_care=Count("placements", filter=Q(placements__discharged_on__isnull=True))
    )


# --- children in care ---------------------------------------------------------------------


def in_care(rows: QuerySet[Placement]) -> QuerySet[Placement]:
    return rows.filter(discharged_on__isnull=True)


def _born_after(day: dt.date) -> Q:
    """The child was born after ``day`` (a missing month or day counts as the earliest)."""
    return (
        Q(child__birth_year__gt=day.year)
        | Q(child__birth_year=day.year, child__birth_month__gt=day.month)
        | Q(child__birth_year=day.year, child__birth_month=day.month, child__birth_day__gt=day.day)
    )


@dataclass(frozen=True)
class Band:
    """An age band (in years) or a length-of-stay band (in months)."""

    code: str
    label: Any  # a lazy translation
    lower: int  # inclusive
    upper: int | None  # exclusive; None: no upper bound


# 0–4 is its own band (the Zero-Four project, domain.md §8 and §11 item 19).
AGE_BANDS = (
    Band("0-4", _("0–4 years"), 0, 5),
    Band("5-9", _("5–9 years"), 5, 10),
    Band("10-13", _("10–13 years"), 10, 14),
    Band("14-17", _("14–17 years"), 14, None),
)


def age_band_q(code: str, today: dt.date) -> Q:
    """The placed child is of the age band ``code`` on ``today``."""
    band = next(b for b in AGE_BANDS if b.code == code)
    q = ~_born_after(_years_before(today, band.lower)) if band.lower else Q()
    if band.upper is not None:
        q &= _born_after(_years_before(today, band.upper))
    return q


def age_band(rows: QuerySet[Placement], code: str, today: dt.date) -> QuerySet[Placement]:
    return rows.filter(age_band_q(code, today))


STAY_BANDS = (
    Band("lt6", _("under 6 months"), 0, 6),
    Band("6-12", _("6–12 months"), 6, 12),
    Band("1-3y", _("1–3 years"), 12, 36),
    Band("3y+", _("over 3 years"), 36, None),
)


def stay_band_q(code: str, today: dt.date) -> Q:
    """The placement has lasted the length of the band ``code`` by ``today``."""
    band = next(b for b in STAY_BANDS if b.code == code)
    q = Q(admitted_on__lte=_months_before(today, band.lower))
    if band.upper is not None:
        q &= Q(admitted_on__gt=_months_before(today, band.upper))
    return q


def stay_band(rows: QuerySet[Placement], code: str, today: dt.date) -> QuerySet[Placement]:
    return rows.filter(stay_band_q(code, today))


def stay_text(admitted_on: dt.date, until: dt.date) -> str:
    months = (until.year - admitted_on.year) * 12 + until.month - admitted_on.month
    if until.day < admitted_on.day:
        months -= 1
    if months < 1:
        return str(_("%(days)s d.") % {"days": (until - admitted_on).days})
    years, months = divmod(months, 12)
    parts = [str(_("%(n)s y.") % {"n": years})] if years else []
    if months:
        parts.append(str(_("%(n)s mo.") % {"n": months}))
    return " ".join(parts)


def without_overseer(rows: QuerySet[Placement]) -> QuerySet[Placement]:
    return in_care(rows).filter(overseer__isnull=True)


def siblings(placement: Placement) -> QuerySet[Placement]:
    """Other placements (open or closed) of children of the same birth family."""
    if placement.household_id is None:
        return Placement.objects.none()
    return (
        Placement.objects.filter(household_id=placement.household_id)
        .exclude(pk=placement.pk)
        .select_related("child", "institution")
    )


def split_siblings(rows: QuerySet[Placement]) -> QuerySet[Placement]:
    """Children in care whose brother or sister is in care in another institution."""
    others = Placement.objects.filter(
        discharged_on__isnull=True,
        household_id=models.OuterRef("household_id"),
    ).exclude(institution_id=models.OuterRef("institution_id"))
    return in_care(rows).filter(household__isnull=False).filter(models.Exists(others))


# --- reviews ------------------------------------------------------------------------------


def reviews_open(items: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    return items.filter(done_on__isnull=True, placement__discharged_on__isnull=True)


def reviews_overdue(items: QuerySet[AgendaItem], today: dt.date) -> QuerySet[AgendaItem]:
    return reviews_open(items).filter(due_on__lt=today)


def reviews_for(user: User, placements: QuerySet[Placement]) -> QuerySet[AgendaItem]:
    """Reviews of the visible placements; a commission's secretary also sees the open reviews
    of the commission's region, which the agenda is assembled from (names, institution, due
    date; the child's page opens once the child is on the agenda)."""
    mine = Q(placement__in=placements.values("pk"))
    regions = Commission.objects.filter(
        members__user_id=user.pk,
        members__is_active=True,
        members__role=MemberRole.SECRETARY,
    ).values("region")
    secretary = Q(done_on__isnull=True, placement__region__in=regions)
    return AgendaItem.objects.filter(mine | secretary).select_related(
        "placement__child", "placement__institution", "sitting"
    )


def agenda(sitting: Sitting) -> QuerySet[AgendaItem]:
    """The sitting's agenda: the children the commission must see first (poverty-only
    removals, parents' requests) at the top, then by due date."""
    return (
        sitting.items.select_related(
            "placement__child",
            "placement__institution",
            "decided_by",
            "chair_confirmed_by",
            "secretary_confirmed_by",
        )
        .annotate(first=models.Case(models.When(priority_reason="", then=1), default=0))
        .order_by("first", "due_on", "pk")
    )


# --- deadline tasks: incident follow-ups, transformation milestones ----------------------


def tasks_open[T: models.Model](rows: QuerySet[T]) -> QuerySet[T]:
    return rows.filter(done_on__isnull=True)


def tasks_overdue[T: models.Model](rows: QuerySet[T], today: dt.date) -> QuerySet[T]:
    """Not done and due before ``today`` (due today is not late), as the daily check reads."""
    return tasks_open(rows).filter(due_on__lt=today)


# --- the commission's membership --------------------------------------------------------


def members(commission: Commission) -> QuerySet[CommissionMember]:
    """Active members, chair and secretary first, with their agencies (one query)."""
    order = models.Case(
        models.When(role=MemberRole.CHAIR, then=0),
        models.When(role=MemberRole.SECRETARY, then=1),
        default=2,
    )
    return (
        commission.members.filter(is_active=True)
        .select_related("user__agency")
        .order_by(order, "user__last_name", "pk")
    )


def member_agencies(commission: Commission, exclude: int | None = None) -> set[int]:
    rows = commission.members.filter(is_active=True)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return set(rows.values_list("user__agency_id", flat=True))


def commission_problems(commission: Commission) -> list[str]:
    """What keeps the commission from sitting: no chair, no secretary, members of fewer than
    two agencies. Empty when it may sit."""
    roles = set(commission.members.filter(is_active=True).values_list("role", flat=True))
    problems = []
    if MemberRole.CHAIR not in roles:
        problems.append(gettext("The commission has no chair."))
    if MemberRole.SECRETARY not in roles:
        problems.append(gettext("The commission has no secretary."))
    if len(member_agencies(commission)) < 2:
        problems.append(gettext("The commission needs members of at least two agencies."))
    return problems


# --- money --------------------------------------------------------------------------------


@dataclass
class CostRow:
    label: str
    children: int
    per_child_month: float | None
    month_total: float | None
    freed_per_return: float | None  # per child-month, institution minus family support


def cost_table(
    placements: QuerySet[Placement],
    region: Territory,
    family_month: float,
    group: str,
    label_of: Callable[[str], str],
) -> list[CostRow]:
    """Children in care now, by ``group`` (``institution__type`` or
    ``family_territory__name``), with the region's cost per child-month by institution type."""
    costs = {c.type: float(c.per_child_month) for c in MonthlyCost.objects.filter(region=region)}
    counts = (
        in_care(placements)
        .values(group, "institution__type")
        .annotate(n=Count("pk"))
        .order_by(group)
    )
    rows: dict[str, CostRow] = {}
    for entry in counts:
        key = entry[group]
        row = rows.setdefault(key, CostRow(label_of(key), 0, None, 0.0, None))
        row.children += entry["n"]
        cost = costs.get(entry["institution__type"])
        if cost is None or row.month_total is None:
            row.month_total = None
        else:
            row.month_total += cost * entry["n"]
    for row in rows.values():
        if row.month_total is not None and row.children:
            row.per_child_month = row.month_total / row.children
            row.freed_per_return = row.per_child_month - family_month
    return list(rows.values())


# --- public face for apps above care ------------------------------------------------------


def legal_status_of(person_id: int) -> str | None:
    """The child's family-legal status as care records it (a ``LegalStatus`` code): from the
    open placement, else the latest one; None when the child has no care record.

    For an app above care (the data bank) that has already authorised its user for this
    person: it returns one code, no placement, institution or ground."""
    row = (
        Placement.objects.filter(child_id=person_id)
        .order_by(models.F("discharged_on").desc(nulls_first=True), "-admitted_on", "-pk")
        .values_list("legal_status", flat=True)
        .first()
    )
    return row or None
