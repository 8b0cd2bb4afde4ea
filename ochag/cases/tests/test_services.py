"""Case services: opening, assessments, removal, plan tasks, locking, closure, re-opening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from ochag.access.models import Notification
from ochag.cases import services
from ochag.cases.models import (
    Case,
    CaseStatus,
    ClosureGround,
    DayKind,
    Level,
    Resolution,
    Task,
    TaskStatus,
)
from ochag.cases.tests.conftest import CaseCast, all_answered, threat_assessment
from ochag.core.models import AuditEvent


def test_open_numbers_the_case_and_adds_participants(case: Case, cc: CaseCast) -> None:
    assert case.number.startswith("ИПР-")
    assert case.number.endswith("-000001")
    agencies = set(case.participants.values_list("agency__name", flat=True))
    assert agencies == {"КЦСОН А", "КДН А", "Школа А"}
    assert case.plan.version == 1
    assert AuditEvent.objects.filter(action="case_opened", object_id=str(case.pk)).exists()
    second = services.case_open(actor=cc.curator, household=cc.family, curator=cc.curator)
    assert second.number.endswith("-000002")
    assert services.children_of(cc.family) == sorted(cc.children, key=lambda p: p.birth_year or 0)


def test_removal_needs_a_threat(case: Case, cc: CaseCast, cast) -> None:
    calm = services.safety_assessment_record(
        actor=cc.curator, case=case, criteria=[], immediate_threat=False, reason="Угрозы нет"
    )
    with pytest.raises(ValidationError):
        services.emergency_removal_record(
            actor=cast.worker_a,
            assessment=calm,
            children=cc.children,
            act_number="1",
            act_date=dt.date(2026, 11, 23),
            prosecutor_notified_on=dt.date(2026, 11, 23),
            placement="СРЦН",
            reason="Угроза",
        )


def test_threat_needs_a_criterion(case: Case, cc: CaseCast) -> None:
    with pytest.raises(ValidationError):
        services.safety_assessment_record(
            actor=cc.curator, case=case, criteria=[], immediate_threat=True, reason="?"
        )


def test_removal_needs_a_reason(case: Case, cc: CaseCast, cast) -> None:
    assessment = threat_assessment(case, cc.curator)
    with pytest.raises(ValidationError):
        services.emergency_removal_record(
            actor=cast.worker_a,
            assessment=assessment,
            children=cc.children,
            act_number="1",
            act_date=dt.date(2026, 11, 23),
            prosecutor_notified_on=dt.date(2026, 11, 23),
            placement="СРЦН",
            reason="  ",
        )


def test_removal_sets_the_calendar_court_deadline(case: Case, cc: CaseCast, cast) -> None:
    assessment = threat_assessment(case, cc.curator)
    removal = services.emergency_removal_record(
        actor=cast.worker_a,
        assessment=assessment,
        children=cc.children[:1],
        act_number="12-р",
        act_date=dt.date(2026, 12, 29),
        prosecutor_notified_on=dt.date(2026, 12, 29),
        placement="СРЦН «Радуга»",
        reason="Следы побоев, мать в состоянии опьянения",
    )
    # Calendar days per СК 77: the New Year holidays do not extend it.
    # 29.12 + 7 calendar days = 05.01.2027, a holiday: the term ends on the next working day.
    assert removal.claim_deadline == dt.date(2027, 1, 11)
    assert removal.claim_deadline_kind == DayKind.CALENDAR
    assert "77" in removal.claim_legal_source
    assert not removal.flagged_for_panel
    task = Task.objects.get(case=case, legal_source=removal.claim_legal_source)
    assert task.due_on == removal.claim_deadline
    assert task.owner_agency == cast.agency_a
    assert case.participants.filter(agency=cast.agency_a).exists()


def test_poverty_only_removal_needs_justification_and_is_flagged(
    case: Case, cc: CaseCast, cast
) -> None:
    assessment = threat_assessment(case, cc.curator, ["no_food", "no_housing"])
    assert assessment.poverty_only
    kwargs = dict(
        actor=cast.worker_a,
        assessment=assessment,
        children=cc.children,
        act_number="1",
        act_date=dt.date(2026, 11, 23),
        prosecutor_notified_on=dt.date(2026, 11, 23),
        placement="СРЦН",
        reason="Семья без жилья зимой",
    )
    with pytest.raises(ValidationError):
        services.emergency_removal_record(**kwargs)
    removal = services.emergency_removal_record(
        **kwargs, poverty_justification="Временное жильё недоступно, отказ от помощи"
    )
    assert removal.flagged_for_panel


def test_risk_assessment_needs_safety_first(case: Case, cc: CaseCast) -> None:
    with pytest.raises(ValidationError):
        services.risk_assessment_record(
            actor=cc.curator,
            case=case,
            answers={},
            strengths=[],
            strengths_note="",
            level=Level.NONE,
            override_reason="",
        )


def test_risk_assessment_scores_and_override_needs_reason(case: Case, cc: CaseCast) -> None:
    services.safety_assessment_record(
        actor=cc.curator, case=case, criteria=[], immediate_threat=False, reason="Угрозы нет"
    )
    answers = all_answered(parent_substance="yes", child_truancy="yes")
    with pytest.raises(ValidationError):
        services.risk_assessment_record(
            actor=cc.curator,
            case=case,
            answers=answers,
            strengths=[],
            strengths_note="",
            level=Level.SOP,
            override_reason="",
        )
    risk = services.risk_assessment_record(
        actor=cc.curator,
        case=case,
        answers=answers,
        strengths=["cooperation"],
        strengths_note="",
        level=Level.SOP,
        override_reason="Повторные сигналы школы",
    )
    assert risk.score == 8 + 6 - 1
    assert risk.proposed_level == Level.TZHS
    assert risk.overridden
    assert [c["code"] for c in risk.contributions] == ["parent_substance", "child_truancy"]
    case.refresh_from_db()
    assert case.level == Level.SOP


def test_a_family_with_no_risk_indicator_is_assessed(case: Case, cc: CaseCast) -> None:
    # Every answer «no»: no contribution, score 0 — once refused by the model's validation.
    services.safety_assessment_record(
        actor=cc.curator, case=case, criteria=[], immediate_threat=False, reason="Угрозы нет"
    )
    risk = services.risk_assessment_record(
        actor=cc.curator, case=case, answers=all_answered(), strengths=[], strengths_note="",
        level=Level.NONE, override_reason="",
    )  # fmt: skip
    assert (risk.score, risk.contributions, risk.proposed_level) == (0, [], Level.NONE)


def test_plan_task_deadline_in_working_days(case: Case, cc: CaseCast) -> None:
    task = services.task_add(
        actor=cc.curator,
        case=case,
        title="Обследовать условия",
        owner_agency=cc.school,
        start_date=dt.date(2026, 12, 29),
        deadline_days=3,
    )
    # 30.12 working, 31.12 a day off (2026 calendar), then the New Year holidays to 08.01.
    assert task.due_on == dt.date(2027, 1, 12)
    assert task.deadline_kind == DayKind.WORKING
    case.plan.refresh_from_db()
    assert case.plan.version == 2


def test_task_status_and_not_complete_needs_reason(case: Case, cc: CaseCast) -> None:
    task = services.task_add(
        actor=cc.curator,
        case=case,
        title="Т",
        owner_agency=cc.school,
        start_date=dt.date(2026, 11, 23),
        deadline_days=5,
    )
    with pytest.raises(ValidationError):
        services.task_update(
            actor=cc.teacher, task=task, expected_version=1, status=TaskStatus.NOT_COMPLETE
        )
    done = services.task_update(
        actor=cc.teacher,
        task=task,
        expected_version=1,
        status=TaskStatus.DONE,
        evidence="Акт от 24.11",
    )
    assert done.version == 2 and done.done_on is not None


def test_optimistic_lock_conflict(case: Case, cc: CaseCast) -> None:
    plan = case.plan
    services.plan_update(
        actor=cc.curator,
        plan=plan,
        expected_version=1,
        goals="Первый",
        period_start=None,
        period_end=None,
    )
    with pytest.raises(services.ConflictError) as err:
        services.plan_update(
            actor=cc.kdn_secretary,
            plan=plan,
            expected_version=1,
            goals="Второй",
            period_start=None,
            period_end=None,
        )
    assert err.value.current.goals == "Первый"
    plan.refresh_from_db()
    assert plan.goals == "Первый" and plan.version == 2
    task = services.task_add(
        actor=cc.curator,
        case=case,
        title="Т",
        owner_agency=cc.school,
        start_date=dt.date(2026, 11, 23),
        deadline_days=5,
    )
    services.task_update(
        actor=cc.teacher, task=task, expected_version=1, status=TaskStatus.IN_PROGRESS
    )
    with pytest.raises(services.ConflictError):
        services.task_update(
            actor=cc.curator, task=task, expected_version=1, status=TaskStatus.DONE
        )


def test_monitoring_creates_review_task(case: Case, cc: CaseCast) -> None:
    report = services.monitoring_report_add(
        actor=cc.curator,
        case=case,
        period_end=dt.date(2026, 11, 30),
        summary="Без изменений",
        reassessment_needed=True,
    )
    assert report.next_review == dt.date(2026, 12, 30)
    reviews = Task.objects.filter(case=case, legal_source=services.MONITORING_SOURCE)
    assert reviews.get().due_on == dt.date(2026, 12, 30)
    assert Task.objects.filter(case=case).count() == 2  # the review and the re-assessment
    services.monitoring_report_add(
        actor=cc.curator, case=case, period_end=dt.date(2026, 12, 30), summary="Лучше"
    )
    assert reviews.filter(status=TaskStatus.DONE).count() == 1


def test_closure_notifies_every_agency(case: Case, cc: CaseCast, run_queued_tasks) -> None:
    services.case_close(actor=cc.kdn_secretary, case=case, ground=ClosureGround.CAUSES_REMOVED)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    notified = set(about(case).filter(kind="closed").values_list("agency__name", flat=True))
    assert notified == {"КЦСОН А", "КДН А", "Школа А"}
    assert run_queued_tasks() == 3  # the outbox: mail goes from the worker
    assert len(mail.outbox) == 3
    assert case.number in mail.outbox[0].subject
    with pytest.raises(ValidationError):
        services.case_close(actor=cc.kdn_secretary, case=case, ground=ClosureGround.MOVED_REGION)


def test_kdn_close_resolution_needs_ground_and_closes(case: Case, cc: CaseCast) -> None:
    with pytest.raises(ValidationError):
        services.kdn_session_record(
            actor=cc.kdn_secretary,
            case=case,
            date=dt.date(2026, 11, 23),
            resolution_number="5",
            agenda="Снятие с учёта",
            resolution=Resolution.CLOSE,
            resolution_text="Снять",
        )
    services.kdn_session_record(
        actor=cc.kdn_secretary,
        case=case,
        date=dt.date(2026, 11, 23),
        resolution_number="5",
        agenda="Снятие с учёта",
        resolution=Resolution.CLOSE,
        resolution_text="Снять",
        closure_ground=ClosureGround.YOUNGEST_ADULT,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_recognise_sop_sets_level(case: Case, cc: CaseCast) -> None:
    services.kdn_session_record(
        actor=cc.kdn_secretary,
        case=case,
        date=dt.date(2026, 11, 23),
        resolution_number="4",
        agenda="О признании",
        resolution=Resolution.RECOGNISE_SOP,
        resolution_text="Признать",
    )
    case.refresh_from_db()
    assert case.level == Level.SOP


def test_reopen_keeps_history(case: Case, cc: CaseCast) -> None:
    task = services.task_add(
        actor=cc.curator,
        case=case,
        title="Т",
        owner_agency=cc.school,
        start_date=dt.date(2026, 11, 23),
        deadline_days=5,
    )
    services.note_add(actor=cc.curator, case=case, text="Заметка")
    services.case_close(actor=cc.curator, case=case, ground=ClosureGround.MOVED_REGION)
    with pytest.raises(ValidationError):
        services.case_reopen(actor=cc.curator, case=case, reason="")
    services.case_reopen(actor=cc.curator, case=case, reason="Семья вернулась")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.closure_ground == ""
    assert [c.status for c in case.status_changes.all()] == ["open", "closed", "open"]
    assert case.tasks.get() == task and case.notes.count() == 1
    assert about(case).filter(kind="reopened").count() == 3


def about(case: Case):
    """The case's notifications in access's one notification table."""
    return Notification.objects.filter(subject_type="cases.case", subject_id=case.pk)
