"""What the monitoring app counts in cases (its public face for indicators).

Each function returns the records of one territory subtree (``path``: a territory's
materialised path) or the condition a time window puts on them; an indicator combines the
two, and the same combination gives both its count and its drill-down list. A state "at"
a moment (a family in СОП at the end of a month) is read from the case's opening and
closing times and its current level: a level changed during the case is counted at its
current value (the case keeps no history of levels apart from the assessments).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.lookups import Exact

from ochag.cases.models import (
    Case,
    CaseStatus,
    CaseStatusChange,
    ClosureGround,
    EmergencyRemoval,
    Level,
    RiskAssessment,
    Task,
)
from ochag.registry.models import MemberRole, Membership

LEVELS = Level
CLOSURE_GROUNDS = ClosureGround


def cases_in(path: str) -> models.QuerySet[Case]:
    return Case.objects.filter(territory__path__startswith=path).select_related("territory")


def opened_q(start: dt.datetime, end: dt.datetime) -> Q:
    return Q(opened_at__gte=start, opened_at__lt=end)


def open_at_q(moment: dt.datetime, level: str | None = None) -> Q:
    """Open at ``moment`` (opened before it, not closed by then), at ``level`` if given.

    The case's own opening and closing times decide, except for a case ever re-opened:
    its last status change before ``moment`` does (a closed and re-opened case was not open
    in between). Only those few cases pay for the correlated look-up."""
    q = Q(opened_at__lt=moment) & (Q(closed_at__isnull=True) | Q(closed_at__gte=moment))
    reopened = CaseStatusChange.objects.filter(_reopening()).values("case_id")
    last_before = (
        CaseStatusChange.objects.filter(case_id=OuterRef("pk"), at__lt=moment)
        .order_by("-at", "-pk")
        .values("status")[:1]
    )
    q &= ~(Q(pk__in=reopened) & Q(Exact(Subquery(last_before), CaseStatus.CLOSED)))
    if level is not None:
        q &= Q(level=level)
    return q


def status_changes_in(path: str) -> models.QuerySet[CaseStatusChange]:
    return CaseStatusChange.objects.filter(case__territory__path__startswith=path).select_related(
        "case", "case__territory"
    )


def closed_q(start: dt.datetime, end: dt.datetime) -> Q:
    return Q(status=CaseStatus.CLOSED, at__gte=start, at__lt=end)


def _reopening() -> Q:
    """A change back to open after the case had been closed (the opening itself is not one)."""
    earlier_close = CaseStatusChange.objects.filter(
        case_id=OuterRef("case_id"), status=CaseStatus.CLOSED, at__lt=OuterRef("at")
    )
    return Q(status=CaseStatus.OPEN) & Q(Exists(earlier_close))


def reopened_q(start: dt.datetime, end: dt.datetime) -> Q:
    return _reopening() & Q(at__gte=start, at__lt=end)


def child_memberships_in(path: str) -> models.QuerySet[Membership]:
    """Children (household members in a child's role) of the households of the territory
    that have a case: one row per child and household."""
    with_cases = Case.objects.filter(territory__path__startswith=path).values("household_id")
    return Membership.objects.filter(
        role=MemberRole.CHILD, household_id__in=with_cases
    ).select_related("person", "household__territory")


def children_of_open_cases_q(moment: dt.datetime, level: str) -> Q:
    """Memberships of the households whose case is open at ``moment`` at ``level``."""
    households = Case.objects.filter(open_at_q(moment, level)).values("household_id")
    return Q(household_id__in=households)


def tasks_in(path: str) -> models.QuerySet[Task]:
    return Task.objects.filter(case__territory__path__startswith=path).select_related(
        "case", "owner_agency"
    )


def overdue_at_q(moment: dt.datetime) -> Q:
    """Set before ``moment``, due before its day and not done by then (a task done on the
    moment's day counts as not done yet: ``done_on`` is a day, as the deadline is)."""
    return Q(created_at__lt=moment, due_on__lt=moment.date()) & (
        Q(done_on__isnull=True) | Q(done_on__gte=moment.date())
    )


def removals_in(path: str) -> models.QuerySet[EmergencyRemoval]:
    return EmergencyRemoval.objects.filter(case__territory__path__startswith=path).select_related(
        "case", "case__territory"
    )


def removed_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Removals whose guardianship act is dated in the window."""
    return Q(act_date__gte=start.date(), act_date__lt=end.date())


def risk_assessments_in(path: str) -> models.QuerySet[RiskAssessment]:
    return RiskAssessment.objects.filter(case__territory__path__startswith=path).select_related(
        "case", "case__territory"
    )


def assessed_q(start: dt.datetime, end: dt.datetime) -> Q:
    return Q(at__gte=start, at__lt=end)
