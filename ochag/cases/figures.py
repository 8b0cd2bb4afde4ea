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
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.lookups import Exact

from ochag.cases.models import (
    Case,
    CaseStatus,
    CaseStatusChange,
    ClosureGround,
    EmergencyRemoval,
    KdnSession,
    Level,
    Resolution,
    RiskAssessment,
    Task,
)
from ochag.registry import figures as registry
from ochag.registry.models import MemberRole, Membership, Sex

LEVELS = Level
CASE_STATUSES = CaseStatus
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


def reopening_where() -> Q:
    """A status change re-opening a closed case (whenever it happened)."""
    return _reopening()


def reopened_q(start: dt.datetime, end: dt.datetime) -> Q:
    return _reopening() & Q(at__gte=start, at__lt=end)


def child_memberships_in(path: str) -> models.QuerySet[Membership]:
    """Children (household members in a child's role) of the households of the territory
    that have a case: one row per child and household."""
    with_cases = Case.objects.filter(territory__path__startswith=path).values("household_id")
    return registry.child_memberships_of(with_cases)


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


# The risk score under audit (issue 17 §5): the facts monitoring aggregates. No names leave
# these functions: ids, dates, scores, levels, sex and year of birth only.


def risk_assessment_facts(path: str, start: dt.datetime, end: dt.datetime) -> list[Any]:
    """One row per risk assessment made in ``[start, end)`` in the territory subtree: its
    case, household, municipality, time, score, proposed and decided level, and answers."""
    return list(
        RiskAssessment.objects.filter(case__territory__path__startswith=path)
        .filter(assessed_q(start, end))
        .order_by("at", "pk")
        .values(
            "pk",
            "case_id",
            "at",
            "score",
            "proposed_level",
            "level",
            "answers",
            household_id=F("case__household_id"),
            territory_id=F("case__territory_id"),
        )
    )


def assessed_cases(path: str, start: dt.datetime, end: dt.datetime) -> models.QuerySet[Any]:
    """The ids of the cases with a risk assessment in the window (a subquery to filter by)."""
    return (
        RiskAssessment.objects.filter(case__territory__path__startswith=path)
        .filter(assessed_q(start, end))
        .values("case_id")
    )


def assessed_households(path: str, start: dt.datetime, end: dt.datetime) -> models.QuerySet[Any]:
    """The ids of the households whose case had a risk assessment in the window."""
    return Case.objects.filter(pk__in=assessed_cases(path, start, end)).values("household_id")


def assessment_times(case_ids: Iterable[int]) -> dict[int, list[dt.datetime]]:
    """Every risk assessment's time per case, in order (to find the one after another).
    ``case_ids`` may be a subquery (``assessed_cases``)."""
    out: dict[int, list[dt.datetime]] = {}
    rows = RiskAssessment.objects.filter(case_id__in=case_ids).order_by("case_id", "at")
    for case_id, at in rows.values_list("case_id", "at"):
        out.setdefault(case_id, []).append(at)
    return out


def sop_recognitions(case_ids: Iterable[int]) -> dict[int, list[dt.date]]:
    """The dates of the КДН resolutions recognising each case's family as in СОП."""
    out: dict[int, list[dt.date]] = {}
    rows = KdnSession.objects.filter(
        case_id__in=case_ids, resolution=Resolution.RECOGNISE_SOP
    ).order_by()
    for case_id, day in rows.values_list("case_id", "date"):
        out.setdefault(case_id, []).append(day)
    return out


def removals_of(case_ids: Iterable[int]) -> dict[int, list[tuple[dt.date, set[int]]]]:
    """Each case's emergency removals: the act's date and the children removed."""
    ids = case_ids
    children: dict[int, set[int]] = {}
    through = EmergencyRemoval.children.through.objects.filter(emergencyremoval__case_id__in=ids)
    for removal_id, person_id in through.values_list("emergencyremoval_id", "person_id"):
        children.setdefault(removal_id, set()).add(person_id)
    out: dict[int, list[tuple[dt.date, set[int]]]] = {}
    rows = EmergencyRemoval.objects.filter(case_id__in=ids).order_by()
    for pk, case_id, day in rows.values_list("pk", "case_id", "act_date"):
        out.setdefault(case_id, []).append((day, children.get(pk, set())))
    return out


SEXES = Sex
CHILD_ROLE = MemberRole.CHILD
CARER_ROLES = (MemberRole.PARENT, MemberRole.GUARDIAN)
LOW_INCOME_ANSWERS = ("yes", "partly")


def low_income_answered(answers: dict[str, str]) -> bool:
    """The assessment found chronic low income or long unemployment (yes or partly)."""
    return answers.get("env_income") in LOW_INCOME_ANSWERS


LEVEL_ORDER: dict[str, int] = {Level.NONE: 0, Level.EARLY: 1, Level.TZHS: 2, Level.SOP: 3}


# States at many moments at once (the dashboards' trend: the period, the one before and each
# month). Each equals ``cases_in(path).filter(open_at_q(moment, level)).count()`` (or the
# children's count with ``children_of_open_cases_q``) for every moment, read in a fixed
# number of queries: one conditional aggregate over the cases' own opening and closing
# times, and, for the few cases ever re-opened, their status history in one more query to
# take out the moments they were closed in between (the same rule as ``open_at_q``).


def _spans_q(moment: dt.datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}opened_at__lt": moment}) & (
        Q(**{f"{prefix}closed_at__isnull": True}) | Q(**{f"{prefix}closed_at__gte": moment})
    )


def _spans(opened: dt.datetime, closed: dt.datetime | None, moment: dt.datetime) -> bool:
    return opened < moment and (closed is None or closed >= moment)


def _closed_between(history: list[tuple[dt.datetime, str]], moment: dt.datetime) -> bool:
    """The last status change before ``moment`` (history sorted by time, then id) closed."""
    last = None
    for at, status in history:
        if at >= moment:
            break
        last = status
    return last == CaseStatus.CLOSED


def _reopened_histories(
    cases: models.QuerySet[Case],
) -> dict[int, tuple[tuple[dt.datetime, dt.datetime | None, int], list[tuple[dt.datetime, str]]]]:
    """The status history of each case of ``cases`` ever re-opened, with its times."""
    reopened = CaseStatusChange.objects.filter(_reopening()).values("case_id")
    rows = (
        CaseStatusChange.objects.filter(case__in=cases.filter(pk__in=reopened).values("pk"))
        .order_by("case_id", "at", "pk")
        .values_list(
            "case_id", "at", "status", "case__opened_at", "case__closed_at", "case__household_id"
        )
    )
    out: dict[int, Any] = {}
    for case_id, at, status, opened, closed, household in rows:
        entry = out.setdefault(case_id, ((opened, closed, household), []))
        entry[1].append((at, status))
    return out


def open_counts(path: str, moments: dict[str, dt.datetime], level: str) -> dict[str, int]:
    """Families (cases) open at ``level`` at each moment: two queries."""
    cases = cases_in(path).filter(level=level).order_by()
    found = cases.aggregate(
        **{k: models.Count("pk", filter=_spans_q(m)) for k, m in moments.items()}
    )
    counts = {k: int(found[k] or 0) for k in moments}
    for (opened, closed, _household), history in _reopened_histories(cases).values():
        for k, m in moments.items():
            if _spans(opened, closed, m) and _closed_between(history, m):
                counts[k] -= 1
    return counts


def children_open_counts(path: str, moments: dict[str, dt.datetime], level: str) -> dict[str, int]:
    """Children of the households with a case open at ``level`` at each moment (the rows of
    ``child_memberships_in(path)`` under ``children_of_open_cases_q``): three queries."""
    memberships = child_memberships_in(path).order_by()
    # The level in the query's own filter makes the join to the cases an inner one that the
    # windows' conditions reuse (a left join through every household was twice as slow).
    found = memberships.filter(household__cases__level=level).aggregate(
        **{
            k: models.Count("pk", distinct=True, filter=_spans_q(m, "household__cases__"))
            for k, m in moments.items()
        }
    )
    counts = {k: int(found[k] or 0) for k in moments}
    reopened = _reopened_histories(Case.objects.filter(level=level))
    households = {info[2] for info, _history in reopened.values()}
    if not households:
        return counts
    kids = dict(
        memberships.filter(household_id__in=households)
        .values_list("household_id")
        .annotate(n=models.Count("pk"))
        .values_list("household_id", "n")
    )
    others = Case.objects.filter(level=level, household_id__in=kids).exclude(pk__in=list(reopened))
    spans: dict[int, list[tuple[dt.datetime, dt.datetime | None, Any]]] = {}
    for household, opened, closed in others.values_list("household_id", "opened_at", "closed_at"):
        spans.setdefault(household, []).append((opened, closed, None))
    for (opened, closed, household), history in reopened.values():
        if household in kids:
            spans.setdefault(household, []).append((opened, closed, history))
    for household, cases in spans.items():
        for k, m in moments.items():
            counted = any(_spans(o, c, m) for o, c, _h in cases)
            really = any(
                _spans(o, c, m) and not (h is not None and _closed_between(h, m))
                for o, c, h in cases
            )
            if counted and not really:
                counts[k] -= kids[household]
    return counts
