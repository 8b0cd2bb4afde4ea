"""Every write to a case: one transaction each, an audit entry inside it, e-mail on commit."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.cases import scoring
from ochag.cases.models import (
    Case,
    CaseAction,
    CaseNote,
    CaseNumberSequence,
    CaseParticipant,
    CaseStatus,
    CaseStatusChange,
    ClosureGround,
    DayKind,
    EmergencyRemoval,
    KdnSession,
    Level,
    MonitoringReport,
    Notification,
    NotificationKind,
    Plan,
    Resolution,
    RiskAssessment,
    SafetyAssessment,
    Task,
    TaskStatus,
)
from ochag.core.calendar import add_working_days
from ochag.core.models import Territory
from ochag.core.services import audit_record
from ochag.registry.models import Household, MemberRole, Person
from ochag.signals.models import Signal

logger = logging.getLogger(__name__)

# Monthly reports by default (Perm's practice, domain §5 row 6); a region sets its own.
DEFAULT_MONITORING_MONTHS = 1
COURT_CLAIM_DAYS = 7
COURT_CLAIM_SOURCE = "СК РФ, ст. 77, п. 2"
# Marks the review tasks monitoring reports create, so the next report closes the last one.
MONITORING_SOURCE = "Региональный порядок мониторинга"


class ConflictError(Exception):
    """Someone else saved the record since the form was opened."""

    def __init__(self, current: Any) -> None:
        super().__init__("version conflict")
        self.current = current


def monitoring_months() -> int:
    return int(getattr(settings, "OCHAG_CASES_MONITORING_MONTHS", DEFAULT_MONITORING_MONTHS))


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, dom)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def deadline_for(start: dt.date, days: int, kind: str, territory: Territory | None) -> dt.date:
    if kind == DayKind.CALENDAR:
        # A term in calendar days that ends on a day off ends on the next working day
        # (Civil Code art. 193, Code of Civil Procedure art. 108).
        return add_working_days(start + dt.timedelta(days=days), 0, territory=territory)
    return add_working_days(start, days, territory=territory)


# Set while generating demo data: notifications are recorded, but no e-mail is queued.
_mail_off: ContextVar[bool] = ContextVar("cases_mail_off", default=False)


@contextmanager
def mail_suppressed() -> Iterator[None]:
    token = _mail_off.set(True)
    try:
        yield
    finally:
        _mail_off.reset(token)


def _send_on_commit(messages: Sequence[tuple[str, str, str]]) -> None:
    """Send (address, subject, body) mails after the transaction commits."""
    if _mail_off.get():
        return

    def send() -> None:
        for address, subject, body in messages:
            try:
                send_mail(subject, body, None, [address])
            except Exception:  # a mail server outage must not undo the recorded change
                logger.exception("case notification to %s failed", address)

    if messages:
        transaction.on_commit(send)


def _notify(
    *,
    key: str,
    kind: str,
    case: Case,
    message: str,
    recipient: User | None = None,
    agency: Agency | None = None,
    task: Task | None = None,
    outbox: list[tuple[str, str, str]],
) -> bool:
    """Create the notification once per key; queue its e-mail only when it is new."""
    email = recipient.email if recipient is not None else agency.email if agency else ""
    _obj, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "case": case,
            "task": task,
            "recipient": recipient,
            "agency": agency,
            "message": message,
            "email": email,
        },
    )
    if created and email:
        outbox.append((email, f"{case.number}: {_('Ochag notification')}", message))
    return created


def children_of(household: Household) -> list[Person]:
    return [
        m.person
        for m in household.memberships.filter(role=MemberRole.CHILD, until__isnull=True)
        .select_related("person")
        .order_by("person__birth_year", "person__last_name")
    ]


def _next_number(region: Territory, year: int) -> str:
    CaseNumberSequence.objects.get_or_create(region=region, year=year)
    seq = CaseNumberSequence.objects.select_for_update().get(region=region, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"ИПР-{year}-{seq.last:06d}"


def signal_label(signal: Signal) -> str:
    received = timezone.localtime(signal.received_at).strftime("%d.%m.%Y")
    return f"{signal.number}, {signal.get_channel_display()}, {received}"[:300]


def _participate(case: Case, agency: Agency | None) -> None:
    if agency is not None:
        CaseParticipant.objects.get_or_create(case=case, agency=agency)


@transaction.atomic
def case_open(
    *,
    actor: User,
    household: Household,
    curator: User,
    legal_basis: str = "",
    agencies: Iterable[Agency] = (),
    source_signal: Signal | None = None,
) -> Case:
    region = household.territory.region
    if region is None:
        raise ValidationError(_("The family's municipality is not in a region."))
    if curator.agency is None:
        raise ValidationError(_("The curator must belong to an agency."))
    if source_signal is not None and source_signal.household_id not in (None, household.pk):
        raise ValidationError(_("The signal is about another family."))
    case = Case.objects.create(
        number=_next_number(region, timezone.localdate().year),
        region=region,
        territory=household.territory,
        household=household,
        curator=curator,
        legal_basis=legal_basis,
        source_signal=source_signal,
        source_signal_label=signal_label(source_signal) if source_signal else "",
        opened_by=actor,
    )
    for agency in (curator.agency, actor.agency, *agencies):
        _participate(case, agency)
    Plan.objects.create(case=case)
    CaseStatusChange.objects.create(case=case, status=CaseStatus.OPEN, actor=actor)
    audit_record(
        actor=actor,
        action=CaseAction.OPENED,
        obj=case,
        detail={
            "household": household.pk,
            "curator": curator.pk,
            "signal": source_signal.pk if source_signal else None,
        },
    )
    return case


@transaction.atomic
def case_curator_change(*, actor: User, case: Case, curator: User) -> Case:
    if curator.agency is None:
        raise ValidationError(_("The curator must belong to an agency."))
    before = case.curator_id
    Case.objects.filter(pk=case.pk).update(curator=curator, version=F("version") + 1)
    case.curator = curator
    _participate(case, curator.agency)
    audit_record(
        actor=actor,
        action=CaseAction.CURATOR_CHANGED,
        obj=case,
        detail={"from": before, "to": curator.pk},
    )
    return case


@transaction.atomic
def case_participant_add(*, actor: User, case: Case, agency: Agency) -> CaseParticipant:
    participant, created = CaseParticipant.objects.get_or_create(case=case, agency=agency)
    if created:
        audit_record(
            actor=actor, action=CaseAction.PARTICIPANT_ADDED, obj=case, detail={"agency": agency.pk}
        )
    return participant


@transaction.atomic
def safety_assessment_record(
    *,
    actor: User,
    case: Case,
    criteria: Sequence[str],
    immediate_threat: bool,
    reason: str,
) -> SafetyAssessment:
    unknown = [c for c in criteria if c not in scoring.SAFETY_BY_CODE]
    if unknown:
        raise ValidationError(_("Unknown safety criteria."))
    if not reason.strip():
        raise ValidationError(_("State the reasoning of the assessment."))
    assessment = SafetyAssessment(
        case=case,
        criteria=list(criteria),
        immediate_threat=immediate_threat,
        reason=reason.strip(),
        poverty_only=scoring.poverty_only(criteria),
        assessed_by=actor,
    )
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action=CaseAction.SAFETY_ASSESSED,
        obj=case,
        detail={"threat": immediate_threat, "criteria": list(criteria)},
    )
    return assessment


@transaction.atomic
def emergency_removal_record(
    *,
    actor: User,
    assessment: SafetyAssessment,
    children: Sequence[Person],
    act_number: str,
    act_date: dt.date,
    prosecutor_notified_on: dt.date,
    placement: str,
    reason: str,
    poverty_justification: str = "",
) -> EmergencyRemoval:
    """Record a removal under СК 77. Only after an assessment that found an immediate threat."""
    case = assessment.case
    if actor.agency is None:
        raise ValidationError(_("Only staff of a guardianship body record a removal."))
    if not assessment.immediate_threat:
        raise ValidationError(
            _("A removal needs a safety assessment that found an immediate threat.")
        )
    if EmergencyRemoval.objects.filter(safety_assessment=assessment).exists():
        raise ValidationError(_("A removal is already recorded for this assessment."))
    if not children:
        raise ValidationError(_("Choose the children removed."))
    claim_deadline = deadline_for(act_date, COURT_CLAIM_DAYS, DayKind.CALENDAR, case.territory)
    removal = EmergencyRemoval(
        case=case,
        safety_assessment=assessment,
        act_number=act_number.strip(),
        act_date=act_date,
        prosecutor_notified_on=prosecutor_notified_on,
        placement=placement.strip(),
        reason=reason.strip(),
        poverty_only=assessment.poverty_only,
        poverty_justification=poverty_justification.strip(),
        flagged_for_panel=assessment.poverty_only,
        claim_deadline=claim_deadline,
        claim_deadline_days=COURT_CLAIM_DAYS,
        claim_deadline_kind=DayKind.CALENDAR,
        claim_legal_source=COURT_CLAIM_SOURCE,
        recorded_by=actor,
    )
    removal.full_clean(exclude=["case", "safety_assessment"])
    removal.save()
    removal.children.set(children)
    # The court claim is a first-class deadline, tracked and escalated like any task.
    Task.objects.create(
        case=case,
        title=_("File a claim to terminate or restrict parental rights"),
        owner_agency=actor.agency,
        assignee=actor,
        start_date=act_date,
        deadline_days=COURT_CLAIM_DAYS,
        deadline_kind=DayKind.CALENDAR,
        legal_source=COURT_CLAIM_SOURCE,
        deadline=claim_deadline,
        created_by=actor,
    )
    _participate(case, actor.agency)
    audit_record(
        actor=actor,
        action=CaseAction.REMOVAL_RECORDED,
        obj=case,
        detail={
            "act": act_number,
            "poverty_only": removal.poverty_only,
            "children": [c.pk for c in children],
        },
    )
    return removal


@transaction.atomic
def risk_assessment_record(
    *,
    actor: User,
    case: Case,
    answers: dict[str, str],
    strengths: Sequence[str],
    strengths_note: str,
    level: str,
    override_reason: str,
) -> RiskAssessment:
    """Safety first: a risk assessment needs an earlier safety assessment (domain §10)."""
    if not case.safety_assessments.exists():
        raise ValidationError(_("Record a safety assessment before the risk assessment."))
    result = scoring.score(answers, strengths)
    assessment = RiskAssessment(
        case=case,
        answers=answers,
        strengths=list(strengths),
        strengths_note=strengths_note,
        score=result.score,
        proposed_level=result.proposed_level,
        level=level,
        poverty_capped=result.poverty_capped,
        override_reason=override_reason.strip(),
        contributions=[
            {
                "code": c.code,
                "domain": c.domain,
                "answer": c.answer,
                "points": c.points,
                "poverty": c.poverty,
            }
            for c in result.contributions
        ],
        assessed_by=actor,
    )
    assessment.full_clean(exclude=["case"])
    assessment.save()
    Case.objects.filter(pk=case.pk).update(level=level)
    case.level = level
    audit_record(
        actor=actor,
        action=CaseAction.RISK_ASSESSED,
        obj=case,
        detail={
            "score": result.score,
            "proposed": result.proposed_level,
            "level": level,
            "overridden": assessment.overridden,
        },
    )
    return assessment


@transaction.atomic
def kdn_session_record(
    *,
    actor: User,
    case: Case,
    date: dt.date,
    resolution_number: str,
    agenda: str,
    resolution: str,
    resolution_text: str,
    closure_ground: str = "",
) -> KdnSession:
    if resolution == Resolution.CLOSE and closure_ground not in ClosureGround.values:
        raise ValidationError(_("Choose the ground for closing the case."))
    session = KdnSession.objects.create(
        case=case,
        date=date,
        resolution_number=resolution_number.strip(),
        agenda=agenda.strip(),
        resolution=resolution,
        resolution_text=resolution_text.strip(),
        recorded_by=actor,
    )
    if resolution == Resolution.RECOGNISE_SOP:
        Case.objects.filter(pk=case.pk).update(level=Level.SOP)
        case.level = Level.SOP
    elif resolution in (Resolution.APPROVE_PLAN, Resolution.CHANGE_PLAN):
        plan = case.plan
        Plan.objects.filter(pk=plan.pk).update(approved_session=session, version=plan.version + 1)
    audit_record(
        actor=actor,
        action=CaseAction.SESSION_RECORDED,
        obj=case,
        detail={"resolution": resolution, "number": session.resolution_number},
    )
    if resolution == Resolution.CLOSE:
        case_close(
            actor=actor,
            case=case,
            ground=closure_ground,
            note=_("KDN resolution No. %(number)s") % {"number": session.resolution_number},
        )
    return session


@transaction.atomic
def plan_update(
    *,
    actor: User,
    plan: Plan,
    expected_version: int,
    goals: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
) -> Plan:
    """Save the plan unless a colleague saved it since ``expected_version`` was read."""
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if current.version != expected_version:
        raise ConflictError(current)
    current.goals, current.period_start, current.period_end = (
        goals.strip(),
        period_start,
        period_end,
    )
    current.full_clean(exclude=["case", "approved_session"])
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=CaseAction.PLAN_CHANGED,
        obj=plan.case,
        detail={"version": current.version},
    )
    return current


@transaction.atomic
def task_add(
    *,
    actor: User,
    case: Case,
    title: str,
    owner_agency: Agency,
    start_date: dt.date,
    deadline_days: int,
    deadline_kind: str = DayKind.WORKING,
    description: str = "",
    assignee: User | None = None,
    legal_source: str = "",
    is_medical: bool = False,
) -> Task:
    if assignee is not None and assignee.agency_id != owner_agency.pk:
        raise ValidationError(_("The responsible person must work in the owning agency."))
    task = Task.objects.create(
        case=case,
        title=title.strip(),
        description=description.strip(),
        owner_agency=owner_agency,
        assignee=assignee,
        start_date=start_date,
        deadline_days=deadline_days,
        deadline_kind=deadline_kind,
        legal_source=legal_source,
        deadline=deadline_for(start_date, deadline_days, deadline_kind, case.territory),
        is_medical=is_medical,
        created_by=actor,
    )
    _participate(case, owner_agency)
    Plan.objects.filter(case=case).update(version=F("version") + 1)
    audit_record(
        actor=actor,
        action=CaseAction.TASK_ADDED,
        obj=case,
        detail={"task": task.pk, "agency": owner_agency.pk, "deadline": task.deadline.isoformat()},
    )
    return task


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: Task,
    expected_version: int,
    status: str,
    status_reason: str = "",
    evidence: str = "",
    notes: str = "",
) -> Task:
    """Change a task's status and evidence unless someone changed it meanwhile."""
    current = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
    if current.version != expected_version:
        raise ConflictError(current)
    before = current.status
    current.status, current.status_reason = status, status_reason.strip()
    current.evidence, current.notes = evidence.strip(), notes.strip()
    current.completed_at = timezone.now() if status == TaskStatus.DONE else None
    if status == TaskStatus.DONE:
        current.overdue_since = None
    current.full_clean(exclude=["case", "owner_agency", "assignee", "created_by"])
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=CaseAction.TASK_UPDATED,
        obj=current.case,
        detail={"task": current.pk, "from": before, "to": status},
    )
    return current


@transaction.atomic
def monitoring_report_add(
    *,
    actor: User,
    case: Case,
    period_end: dt.date,
    summary: str,
    next_review: dt.date | None = None,
    reassessment_needed: bool = False,
) -> MonitoringReport:
    """A report on the regional cadence; the next one becomes a tracked task for the curator."""
    review = next_review or add_months(period_end, monitoring_months())
    if review <= period_end:
        raise ValidationError(_("The next review must come after the reporting period."))
    report = MonitoringReport.objects.create(
        case=case,
        period_end=period_end,
        summary=summary.strip(),
        next_review=review,
        reassessment_needed=reassessment_needed,
        author=actor,
    )
    # The earlier review task is fulfilled by this report.
    Task.objects.filter(case=case, legal_source=MONITORING_SOURCE).exclude(
        status=TaskStatus.DONE
    ).update(status=TaskStatus.DONE, completed_at=timezone.now(), overdue_since=None)
    curator_agency = case.curator.agency
    assert curator_agency is not None
    Task.objects.create(
        case=case,
        title=_("Monitoring report and case review"),
        owner_agency=curator_agency,
        assignee=case.curator,
        start_date=period_end,
        deadline_days=(review - period_end).days,
        deadline_kind=DayKind.CALENDAR,
        legal_source=MONITORING_SOURCE,
        deadline=review,
        created_by=actor,
    )
    if reassessment_needed:
        Task.objects.create(
            case=case,
            title=_("Re-assess the family's situation"),
            owner_agency=curator_agency,
            assignee=case.curator,
            start_date=period_end,
            deadline_days=10,
            deadline_kind=DayKind.WORKING,
            deadline=add_working_days(period_end, 10, territory=case.territory),
            created_by=actor,
        )
    audit_record(
        actor=actor,
        action=CaseAction.MONITORING_ADDED,
        obj=case,
        detail={"period_end": period_end.isoformat(), "next_review": review.isoformat()},
    )
    return report


@transaction.atomic
def note_add(*, actor: User, case: Case, text: str, is_medical: bool = False) -> CaseNote:
    if not text.strip():
        raise ValidationError(_("Write the note."))
    note = CaseNote.objects.create(
        case=case, text=text.strip(), is_medical=is_medical, author=actor
    )
    audit_record(
        actor=actor,
        action=CaseAction.NOTE_ADDED,
        obj=case,
        detail={"note": note.pk, "medical": is_medical},
    )
    return note


def _inform_agencies(case: Case, kind: str, message: str, stamp: str) -> None:
    outbox: list[tuple[str, str, str]] = []
    for participant in case.participants.select_related("agency"):
        _notify(
            key=f"{kind}:{case.pk}:{stamp}:agency:{participant.agency_id}",
            kind=kind,
            case=case,
            agency=participant.agency,
            message=message,
            outbox=outbox,
        )
    _send_on_commit(outbox)


@transaction.atomic
def case_close(*, actor: User, case: Case, ground: str, note: str = "") -> Case:
    """Close on a listed ground and inform every agency taking part."""
    if ground not in ClosureGround.values:
        raise ValidationError(_("Choose the ground for closing the case."))
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is already closed."))
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_at=now, closure_ground=ground, version=locked.version + 1
    )
    case.status, case.closed_at, case.closure_ground = CaseStatus.CLOSED, now, ground
    case.version = locked.version + 1
    change = CaseStatusChange.objects.create(
        case=case, status=CaseStatus.CLOSED, ground=ground, note=note.strip(), actor=actor
    )
    message = _("Case %(number)s is closed: %(ground)s.") % {
        "number": case.number,
        "ground": ClosureGround(ground).label,
    }
    _inform_agencies(case, NotificationKind.CLOSED, message, str(change.pk))
    audit_record(actor=actor, action=CaseAction.CLOSED, obj=case, detail={"ground": ground})
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """Re-open a closed case; its assessments, tasks and notes stay as they were."""
    if not reason.strip():
        raise ValidationError(_("State why the case is re-opened."))
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.CLOSED:
        raise ValidationError(_("The case is open."))
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.OPEN, closed_at=None, closure_ground="", version=locked.version + 1
    )
    case.status, case.closed_at, case.closure_ground = CaseStatus.OPEN, None, ""
    case.version = locked.version + 1
    change = CaseStatusChange.objects.create(
        case=case, status=CaseStatus.OPEN, note=reason.strip(), actor=actor
    )
    message = _("Case %(number)s is re-opened: %(reason)s") % {
        "number": case.number,
        "reason": reason.strip(),
    }
    _inform_agencies(case, NotificationKind.REOPENED, message, str(change.pk))
    audit_record(actor=actor, action=CaseAction.REOPENED, obj=case, detail={"reason": reason})
    return case


@dataclass
class DeadlineReport:
    overdue: int = 0
    newly_overdue: int = 0
    notifications: int = 0


@transaction.atomic
def deadlines_check(*, today: dt.date | None = None) -> DeadlineReport:
    """Mark overdue tasks, notify owner and supervisors once per task and deadline.

    Idempotent: the notification key includes the task and its deadline, so running again
    the same day (or the next) sends nothing new; a moved deadline escalates afresh.
    """
    day = today or timezone.localdate()
    report = DeadlineReport()
    outbox: list[tuple[str, str, str]] = []
    overdue = (
        Task.objects.filter(case__status=CaseStatus.OPEN, deadline__lt=day)
        .exclude(status=TaskStatus.DONE)
        .select_related("case", "owner_agency", "assignee")
    )
    supervisors: dict[int, list[User]] = {}
    for task in overdue:
        report.overdue += 1
        if task.overdue_since is None:
            Task.objects.filter(pk=task.pk).update(overdue_since=day)
            report.newly_overdue += 1
        message = _(
            "Task «%(title)s» of case %(number)s was due on %(deadline)s and is overdue."
        ) % {
            "title": task.title,
            "number": task.case.number,
            "deadline": task.deadline.strftime("%d.%m.%Y"),
        }
        stamp = f"overdue:{task.pk}:{task.deadline.isoformat()}"
        if task.assignee is not None and task.assignee.is_active:
            report.notifications += _notify(
                key=f"{stamp}:user:{task.assignee_id}",
                kind=NotificationKind.OVERDUE,
                case=task.case,
                task=task,
                recipient=task.assignee,
                message=message,
                outbox=outbox,
            )
        else:
            report.notifications += _notify(
                key=f"{stamp}:agency:{task.owner_agency_id}",
                kind=NotificationKind.OVERDUE,
                case=task.case,
                task=task,
                agency=task.owner_agency,
                message=message,
                outbox=outbox,
            )
        if task.owner_agency_id not in supervisors:
            supervisors[task.owner_agency_id] = list(
                User.objects.filter(
                    Q(agency_id=task.owner_agency_id), is_supervisor=True, is_active=True
                )
            )
        for supervisor in supervisors[task.owner_agency_id]:
            if supervisor.pk == task.assignee_id:
                continue
            report.notifications += _notify(
                key=f"{stamp}:user:{supervisor.pk}",
                kind=NotificationKind.OVERDUE,
                case=task.case,
                task=task,
                recipient=supervisor,
                message=message,
                outbox=outbox,
            )
    _send_on_commit(outbox)
    if report.newly_overdue or report.notifications:
        audit_record(
            actor=None,
            action=CaseAction.DEADLINES_CHECKED,
            detail={
                "day": day.isoformat(),
                "overdue": report.overdue,
                "new": report.newly_overdue,
                "notifications": report.notifications,
            },
        )
    return report
