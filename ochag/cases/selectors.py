"""Every read the case screens need, each starting from a policy's queryset."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ochag.access import notifications
from ochag.access.models import Agency, AgencyType, Notification, Role, User
from ochag.access.policies import agencies as agency_policy
from ochag.cases import extensions, policies
from ochag.cases.extensions import Event
from ochag.cases.models import (
    LEVEL_TONES,
    Case,
    CaseNote,
    CaseStatus,
    Commission,
    EmergencyRemoval,
    KdnSitting,
    Level,
    MonitoringReport,
    SittingCase,
    Task,
    TaskStatus,
)
from ochag.cases.policies import CasePolicyAction
from ochag.cases.services import children_of
from ochag.cases.services.notifications import CASE
from ochag.core.policies import Action
from ochag.registry import policies as registry_policies
from ochag.registry.models import Household, MemberRole, Person
from ochag.signals import policies as signal_policies

OPEN_TASK = ~Q(status=TaskStatus.DONE) & Q(case__status=CaseStatus.OPEN)


def cases_for(user: User) -> QuerySet[Case]:
    """Visible cases with counts of the tasks the user may see (medical ones may be hidden)."""
    shown = Q(tasks__in=tasks_for(user).values("pk"))
    open_task = shown & ~Q(tasks__status=TaskStatus.DONE)
    return policies.cases.visible(user).annotate(
        open_tasks=Count("tasks", filter=open_task, distinct=True),
        overdue_tasks=Count(
            "tasks", filter=open_task & Q(tasks__overdue_since__isnull=False), distinct=True
        ),
    )


def flagged_case_ids() -> QuerySet[EmergencyRemoval, Any]:
    """Cases with a removal resting only on poverty-type grounds (domain §6 guardrail)."""
    return EmergencyRemoval.objects.filter(flagged_for_panel=True).values("case_id")


def tasks_for(user: User) -> QuerySet[Task]:
    return policies.tasks.visible(user)


def overdue_tasks_for(user: User) -> QuerySet[Task]:
    """The board's and the filtered list's one query: overdue per the stored fact."""
    return tasks_for(user).filter(OPEN_TASK, overdue_since__isnull=False)


def case_tasks(user: User, case: Case) -> QuerySet[Task]:
    return tasks_for(user).filter(case=case).order_by("due_on", "pk")


def case_notes(user: User, case: Case) -> QuerySet[CaseNote]:
    return policies.notes.visible(user).filter(case=case)


def age_text(years: int | None) -> str:
    if years is None:
        return _("age unknown")
    return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}


def identity(case: Case, user: User, today: dt.date | None = None) -> dict[str, Any]:
    """The identity bar: family, children with ages, case number, status badges."""
    day = today or timezone.localdate()
    kids = children_of(case.household)
    children = ", ".join(f"{p.full_name} ({age_text(p.age_on(day))})" for p in kids)
    badges = [{"label": case.get_status_display(), "tone": "green" if case.is_open else "grey"}]
    if case.level != Level.NONE:
        badges.append({"label": case.get_level_display(), "tone": LEVEL_TONES[Level(case.level)]})
    if case.removals.exists() and policies.cases.allows(user, CasePolicyAction.MANAGE, case):
        badges.append({"label": _("Emergency removal"), "tone": "red"})
    overdue = case.tasks.filter(overdue_since__isnull=False).exclude(status=TaskStatus.DONE).count()
    if overdue and case.is_open:
        badges.append(
            {
                "label": ngettext("%(n)d overdue task", "%(n)d overdue tasks", overdue)
                % {"n": overdue},
                "tone": "red",
            }
        )
    return {
        "name": _("Family %(name)s") % {"name": case.household},
        "facts": [
            (_("Case"), case.number),
            (_("Children"), children or "—"),
            (_("Municipality"), case.territory.name),
            (_("Curator"), case.curator.display_name),
        ],
        "badges": badges,
    }


def _by(user: User | None) -> tuple[str, str]:
    if user is None:
        return _("System"), ""
    return user.display_name, str(user.agency or "")


def _managers_events(case: Case) -> list[Event]:
    """Assessments, removals, КДН decisions and monitoring reports: for the case's managers."""
    events: list[Event] = []
    for safety in case.safety_assessments.select_related("assessed_by", "assessed_by__agency"):
        title = (
            _("Safety assessment: immediate threat")
            if safety.immediate_threat
            else _("Safety assessment: no immediate threat")
        )
        events.append(Event(title, *_by(safety.assessed_by), safety.at, safety.reason))
    for removal in case.removals.select_related("recorded_by", "recorded_by__agency"):
        events.append(
            Event(
                _("Emergency removal, act No. %(number)s") % {"number": removal.act_number},
                *_by(removal.recorded_by),
                removal.at,
                removal.reason,
            )
        )
    for risk in case.risk_assessments.select_related("assessed_by", "assessed_by__agency"):
        events.append(
            Event(
                _("Risk assessment: advisory score %(score)s, level decided: %(level)s")
                % {"score": risk.score, "level": risk.get_level_display()},
                *_by(risk.assessed_by),
                risk.at,
                risk.override_reason,
            )
        )
    for session in case.sessions.select_related("recorded_by", "recorded_by__agency"):
        events.append(
            Event(
                _("KDN resolution No. %(number)s: %(resolution)s")
                % {
                    "number": session.resolution_number,
                    "resolution": session.get_resolution_display(),
                },
                *_by(session.recorded_by),
                session.at,
                session.agenda,
            )
        )
    for report in case.monitoring_reports.select_related("author", "author__agency"):
        events.append(
            Event(
                _("Monitoring report to %(date)s")
                % {"date": report.period_end.strftime("%d.%m.%Y")},
                *_by(report.author),
                report.at,
                report.summary,
            )
        )
    return events


def timeline(user: User, case: Case) -> list[Event]:
    """Every signal, assessment, decision, task, removal, report and note the user may
    see, oldest first: assessments, removals, decisions and reports only for the case's
    managers (need-to-know)."""
    events: list[Event] = []
    seen: set[int] = set()
    for signal in signal_policies.signals.visible(user).filter(household=case.household):
        seen.add(signal.pk)
        source = _(" (source of this case)") if signal.pk == case.source_signal_id else ""
        events.append(
            Event(
                _("Signal %(number)s: %(channel)s%(source)s")
                % {
                    "number": signal.number,
                    "channel": signal.get_channel_display(),
                    "source": source,
                },
                signal.reporting_agency.short_name or signal.reporting_agency.name
                if signal.reporting_agency
                else _("Anonymous or citizen"),
                "",
                signal.received_at,
            )
        )
    if case.source_signal_label and case.source_signal_id not in seen:
        events.append(
            Event(
                _("Signal: %(label)s") % {"label": case.source_signal_label},
                *_by(case.opened_by),
                case.opened_at,
            )
        )
    for change in case.status_changes.select_related("actor", "actor__agency"):
        if change.status == CaseStatus.OPEN:
            title = (
                _("Case opened") if change == case.status_changes.first() else _("Case re-opened")
            )
        else:
            title = _("Case closed: %(ground)s") % {"ground": change.get_ground_display()}
        events.append(Event(title, *_by(change.actor), change.at, change.note))
    if policies.cases.allows(user, CasePolicyAction.MANAGE, case):
        events += _managers_events(case)
    for task in case_tasks(user, case).select_related("created_by", "created_by__agency"):
        events.append(
            Event(
                _("Task for %(agency)s: %(title)s (due %(deadline)s, %(status)s)")
                % {
                    "agency": task.owner_agency,
                    "title": task.title,
                    "deadline": task.due_on.strftime("%d.%m.%Y"),
                    "status": task.get_status_display(),
                },
                *_by(task.created_by),
                task.created_at,
            )
        )
    for note in case_notes(user, case).select_related("author__agency"):
        title = _("Note (medical secret)") if note.is_medical else _("Note")
        events.append(Event(title, *_by(note.author), note.at, note.text))
    events += extensions.timeline_events(user, case)
    events.sort(key=lambda e: e.at)
    return events


@dataclass
class WorkloadRow:
    curator: User
    open_cases: int
    open_tasks: int
    overdue_tasks: int


def workload(user: User) -> list[WorkloadRow]:
    """Cases, open tasks and overdue tasks per curator, over the cases the user may see."""
    visible = policies.cases.visible(user).filter(status=CaseStatus.OPEN)
    if not (policies.is_coordinator(user) or user.is_supervisor):
        visible = visible.filter(curator=user)
    elif not policies.is_coordinator(user):
        visible = visible.filter(curator__agency=user.agency)
    per_curator = visible.values("curator").annotate(n=Count("pk", distinct=True))
    # The same task query the linked task list uses, so the numbers agree.
    tasks = tasks_for(user).filter(OPEN_TASK, case__in=visible)
    open_tasks = dict(tasks.values_list("case__curator").annotate(n=Count("pk")))
    overdue = dict(
        tasks.filter(overdue_since__isnull=False)
        .values_list("case__curator")
        .annotate(n=Count("pk"))
    )
    curators = User.objects.select_related("agency").in_bulk(
        [row["curator"] for row in per_curator]
    )
    rows = [
        WorkloadRow(
            curators[row["curator"]],
            row["n"],
            open_tasks.get(row["curator"], 0),
            overdue.get(row["curator"], 0),
        )
        for row in per_curator
    ]
    rows.sort(key=lambda r: (-r.overdue_tasks, -r.open_cases, r.curator.display_name))
    return rows


@dataclass
class BoardRow:
    agency: Agency
    overdue: int


def board(user: User) -> list[BoardRow]:
    """Overdue work per owning agency; each count is the size of the linked filtered list."""
    counts = overdue_tasks_for(user).values("owner_agency").annotate(n=Count("pk", distinct=True))
    agencies = Agency.objects.in_bulk([row["owner_agency"] for row in counts])
    rows = [BoardRow(agencies[row["owner_agency"]], row["n"]) for row in counts]
    rows.sort(key=lambda r: (-r.overdue, r.agency.name))
    return rows


def notifications_for(user: User) -> QuerySet[Notification]:
    """Messages to the user or to the user's agency, about cases the user may still see."""
    return notifications.about(CASE, policies.cases.visible(user).values("pk")).filter(
        Q(recipient=user) | Q(recipient__isnull=True, agency_id=user.agency_id)
    )


def curator_choices(cases: QuerySet[Case]) -> list[tuple[str, str]]:
    curators = User.objects.filter(pk__in=cases.values("curator")).order_by("last_name", "pk")
    return [(str(u.pk), u.display_name) for u in curators]


def curators_for(user: User) -> QuerySet[User]:
    """Curators the user may assign: active case curators of the agencies the user sees."""
    return User.objects.filter(
        agency__in=agency_policy.visible(user), role=Role.CASE_CURATOR, is_active=True
    ).select_related("agency")


def agencies_to_involve(user: User) -> QuerySet[Agency]:
    """Agencies that may take part in a case or own a task: working ones the user sees
    (the ministry and the helpline do no case work)."""
    return (
        agency_policy.visible(user)
        .filter(is_active=True)
        .exclude(type__in=[AgencyType.MINISTRY, AgencyType.HELPLINE])
    )


def households_to_open(user: User, text: str, limit: int = 25) -> list[Household]:
    """Families a case may be opened on, by name or address, within the registry's policy."""
    return list(
        registry_policies.households.visible(user)
        .filter(Q(name__icontains=text) | Q(address__icontains=text))
        .order_by("name", "pk")[:limit]
    )


# Worklist filters: the home page counts with these and the task and case lists filter with
# them, so a count on the home page is the number of rows behind its link.

REVIEW_HORIZON_DAYS = 7


def tasks_for_me(tasks: QuerySet[Task], user: User) -> QuerySet[Task]:
    """Tasks the user answers for: assigned to them, in a case they curate, or their agency's
    tasks nobody in it has been named for yet."""
    return tasks.filter(
        Q(assignee=user)
        | Q(case__curator=user)
        | Q(owner_agency_id=user.agency_id, assignee__isnull=True)
    )


def tasks_of_agency(tasks: QuerySet[Task], user: User) -> QuerySet[Task]:
    return tasks.filter(owner_agency_id=user.agency_id)


def tasks_unassigned(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Open tasks with no responsible person named."""
    return tasks.filter(OPEN_TASK, assignee__isnull=True)


def tasks_overdue(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.filter(OPEN_TASK, overdue_since__isnull=False)


def tasks_due_this_week(tasks: QuerySet[Task], today: dt.date | None = None) -> QuerySet[Task]:
    """Open tasks due from today to the same weekday next week, not yet overdue."""
    day = today or timezone.localdate()
    return tasks.filter(
        OPEN_TASK,
        overdue_since__isnull=True,
        due_on__gte=day,
        due_on__lt=day + dt.timedelta(days=7),
    )


def cases_review_due(cases: QuerySet[Case], today: dt.date | None = None) -> QuerySet[Case]:
    """Open cases whose latest monitoring report set a review within a week or in the past."""
    day = today or timezone.localdate()
    latest = MonitoringReport.objects.filter(case=OuterRef("pk")).order_by("-period_end", "-pk")
    return (
        cases.filter(status=CaseStatus.OPEN)
        .annotate(next_review=Subquery(latest.values("next_review")[:1]))
        .filter(next_review__lt=day + dt.timedelta(days=REVIEW_HORIZON_DAYS))
    )


def cases_curated_by(cases: QuerySet[Case], user: User) -> QuerySet[Case]:
    return cases.filter(curator=user)


def cases_of_agency(cases: QuerySet[Case], user: User) -> QuerySet[Case]:
    """Cases curated by a member of the user's agency."""
    return cases.filter(curator__agency=user.agency)


def sittings_for(user: User) -> QuerySet[KdnSitting]:
    """The sittings the user may see, with the size of each agenda."""
    return policies.sittings.visible(user).annotate(cases=Count("items", distinct=True))


def commissions_for(user: User) -> QuerySet[Commission]:
    """The commissions whose sittings the user keeps (the user's own КДН)."""
    if not policies.sittings.allows(user, Action.CREATE):
        return Commission.objects.none()
    return Commission.objects.filter(agency=user.agency)


def sitting_agenda(sitting: KdnSitting) -> list[SittingCase]:
    """The agenda in order, with each case's family, decision and invited parents."""
    return list(
        sitting.items.select_related("case", "case__household", "decision")
        .prefetch_related("invitees")
        .order_by("order")
    )


def cases_for_agenda(user: User, sitting: KdnSitting) -> QuerySet[Case]:
    """Open cases of the commission's municipality that the user sees and that are not on
    this sitting's agenda yet."""
    territory = sitting.commission.agency.territory
    return (
        policies.cases.visible(user)
        .filter(status=CaseStatus.OPEN, territory__path__startswith=territory.path)
        .exclude(sitting_items__sitting=sitting)
        .order_by("household__name", "pk")
    )


def parents_to_invite(case: Case) -> list[Person]:
    """The family's current parents and guardians: those the commission invites."""
    return [
        m.person
        for m in case.household.memberships.filter(
            role__in=[MemberRole.PARENT, MemberRole.GUARDIAN], until__isnull=True
        ).select_related("person")
    ]
