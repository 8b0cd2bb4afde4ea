"""Every case view with the cast: anonymous, outsider, read-only, analyst, success, errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import Role
from ochag.cases import scoring, services
from ochag.cases.models import Case, CaseStatus, Level, Task, TaskStatus
from ochag.cases.tests.conftest import CaseCast, all_answered, threat_assessment
from ochag.core.models import AccessLogEntry
from ochag.factories import UserFactory
from ochag.signals.models import Signal


def url(name: str, *args: int) -> str:
    return reverse(f"cases:{name}", args=args)


CASE_PAGES = ["detail", "timeline", "print", "pdf"]
WRITE_PAGES = [
    "safety",
    "risk",
    "session",
    "plan",
    "task_new",
    "monitoring",
    "participant",
    "close",
    "curator",
]


@pytest.mark.parametrize("name", CASE_PAGES + WRITE_PAGES + ["note"])
def test_anonymous_is_sent_to_login(client, case: Case, name: str) -> None:
    response = client.get(url(name, case.pk))
    assert response.status_code == 302
    assert reverse("access:login") in response["Location"]


@pytest.mark.parametrize("name", ["list", "tasks", "board", "workload", "open", "notifications"])
def test_anonymous_lists(client, db, name: str) -> None:
    assert client.get(url(name)).status_code == 302


@pytest.mark.parametrize("name", CASE_PAGES + WRITE_PAGES + ["note", "reopen"])
def test_outsider_and_analyst_get_404(client_for, cast, case: Case, name: str) -> None:
    for user in (cast.worker_b, cast.analyst, cast.worker_a):
        assert client_for(user).get(url(name, case.pk)).status_code == 404


def test_unknown_ids_are_404(client_for, cc: CaseCast, case: Case) -> None:
    client = client_for(cc.curator)
    assert client.get(url("detail", 999999)).status_code == 404
    assert client.get(url("task", case.pk, 999999)).status_code == 404
    assert client.get(url("risk_detail", case.pk, 999999)).status_code == 404
    assert client.get(url("session_pdf", case.pk, 999999)).status_code == 404
    assert client.get(url("removal", case.pk, 999999)).status_code == 404
    assert client.get(url("open_household", 999999)).status_code == 404
    assert client.get("/cases/abc/").status_code == 404


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_read_only_participant_gets_403(client_for, cc: CaseCast, case: Case, name: str) -> None:
    client = client_for(cc.teacher)
    assert client.get(url("detail", case.pk)).status_code == 200
    assert client.get(url(name, case.pk)).status_code == 403
    assert client.post(url(name, case.pk), {}).status_code == 403


def test_analyst_sees_no_names(client_for, cast, cc: CaseCast, case: Case) -> None:
    client = client_for(cast.analyst)
    for name in ("list", "tasks", "board", "workload", "open", "notifications"):
        response = client.get(url(name))
        assert response.status_code == 403
        assert "Петров" not in response.content.decode()


def test_detail_shows_identity_bar_and_logs_access(client_for, cc: CaseCast, case: Case) -> None:
    response = client_for(cc.curator).get(url("detail", case.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert case.number in body and "Петровы" in body
    assert "Петрова Алиса Сергеевна" in body and "identity-bar" in body
    assert AccessLogEntry.objects.filter(object_id=str(case.pk), actor=cc.curator).exists()


def test_coordinator_sees_case_outsider_list_is_empty(client_for, cast, case: Case) -> None:
    assert client_for(cast.coordinator).get(url("detail", case.pk)).status_code == 200
    body = client_for(cast.worker_b).get(url("list")).content.decode()
    assert case.number not in body


def _signal(cc: CaseCast, household=None) -> Signal:
    return Signal.objects.create(
        channel="staff",
        basis="duty_art9",
        received_at=timezone.now(),
        territory=cc.family.territory,
        household=household,
        original_text="Дети одни дома",
        colour="amber",
        track="assessment",
        routed_to=cc.kdn,
        reporting_agency=cc.school,
    )


def test_open_case_flow(client_for, cc: CaseCast) -> None:
    client = client_for(cc.kdn_secretary)
    found = client.get(url("open"), {"q": "Петров"}).content.decode()
    assert url("open_household", cc.family.pk) in found
    signal = _signal(cc, cc.family)
    start = client.get(url("from_signal", signal.pk))
    target = url("open_household", cc.family.pk) + f"?signal={signal.pk}"
    assert start.status_code == 302 and start["Location"] == target
    assert signal.number in client.get(target).content.decode()
    bad = client.post(target, {"legal_basis": "Заявление", "signal": signal.pk})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "error-summary" in body and "Заявление" in body
    response = client.post(
        target,
        {
            "curator": cc.curator.pk,
            "legal_basis": "Заявление",
            "agencies": [cc.school.pk],
            "signal": signal.pk,
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", case.pk)
    assert case.source_signal == signal and signal.number in case.source_signal_label
    assert case.participants.filter(agency=cc.school).exists()
    timeline = client.get(url("timeline", case.pk)).content.decode()
    assert signal.number in timeline
    # A second signal about the family leads to the open case, not a second one.
    again = client.get(url("from_signal", _signal(cc, cc.family).pk))
    assert again["Location"] == url("detail", case.pk)


def test_signal_entry_point_checks(client_for, cast, cc: CaseCast) -> None:
    unlinked = _signal(cc)
    client = client_for(cc.kdn_secretary)
    assert client.get(url("from_signal", unlinked.pk))["Location"] == reverse(
        "signals:detail", args=[unlinked.pk]
    )
    assert client_for(cast.worker_b).get(url("from_signal", unlinked.pk)).status_code == 404
    assert client.get(url("from_signal", 999999)).status_code == 404
    # A signal the user cannot see cannot be attached by editing the form.
    hidden = Signal.objects.create(
        channel="staff",
        basis="duty_art9",
        received_at=timezone.now(),
        territory=cast.municipality_b,
        original_text="…",
        colour="amber",
        track="assessment",
        routed_to=cast.agency_b,
    )
    assert (
        client.get(url("open_household", cc.family.pk) + f"?signal={hidden.pk}").status_code == 404
    )


def test_teacher_cannot_open_a_case(client_for, cc: CaseCast) -> None:
    assert client_for(cc.teacher).get(url("open")).status_code == 403
    assert client_for(cc.teacher).post(url("open_household", cc.family.pk)).status_code == 403


def test_safety_then_removal_by_guardianship(client_for, cast, cc: CaseCast, case: Case) -> None:
    client = client_for(cc.curator)
    bad = client.post(url("safety", case.pk), {"immediate_threat": "yes", "reason": "Побои"})
    assert bad.status_code == 200 and "error-summary" in bad.content.decode()
    assert (
        client.post(
            url("safety", case.pk),
            {"immediate_threat": "yes", "reason": "Побои", "criteria": ["violence"]},
        ).status_code
        == 302
    )
    assessment = case.safety_assessments.get()
    # The curator is not the guardianship body: no removal.
    assert client.get(url("removal", case.pk, assessment.pk)).status_code == 403
    services.case_participant_add(actor=cc.curator, case=case, agency=cast.agency_a)
    opeka = client_for(cast.worker_a)
    form = {
        "children": [cc.children[0].pk],
        "act_number": "7-р",
        "act_date": "23.11.2026",
        "prosecutor_notified_on": "23.11.2026",
        "placement": "СРЦН",
        "reason": "",
    }
    bad = opeka.post(url("removal", case.pk, assessment.pk), form)
    assert bad.status_code == 200 and "7-р" in bad.content.decode()
    form["reason"] = "Побои, мать в состоянии опьянения"
    assert opeka.post(url("removal", case.pk, assessment.pk), form).status_code == 302
    removal = case.removals.get()
    assert removal.claim_deadline == dt.date(2026, 11, 30)


def test_removal_refused_without_threat(client_for, cast, cc: CaseCast, case: Case) -> None:
    calm = services.safety_assessment_record(
        actor=cc.curator, case=case, criteria=[], immediate_threat=False, reason="Нет угрозы"
    )
    services.case_participant_add(actor=cc.curator, case=case, agency=cast.agency_a)
    response = client_for(cast.worker_a).post(
        url("removal", case.pk, calm.pk),
        {
            "children": [cc.children[0].pk],
            "act_number": "1",
            "act_date": "23.11.2026",
            "prosecutor_notified_on": "23.11.2026",
            "placement": "СРЦН",
            "reason": "Причина",
        },
    )
    assert response.status_code == 200 and not case.removals.exists()


def test_risk_preview_then_save(client_for, cc: CaseCast, case: Case) -> None:
    client = client_for(cc.curator)
    assert client.get(url("risk", case.pk)).status_code == 302  # safety first
    services.safety_assessment_record(
        actor=cc.curator, case=case, criteria=[], immediate_threat=False, reason="Нет угрозы"
    )
    answers = all_answered(parent_substance="yes", child_truancy="yes")
    data = {f"ind_{code}": answer for code, answer in answers.items()} | {"preview": "1"}
    preview = client.post(url("risk", case.pk), data)
    body = preview.content.decode()
    assert preview.status_code == 200 and "14" in body and "score-panel" in body
    assert '<option value="tzhs" selected>' in body  # the proposal is preselected
    data.pop("preview")
    data.update(save="1", level=Level.SOP)
    refused = client.post(url("risk", case.pk), data)
    assert refused.status_code == 200 and "error-summary" in refused.content.decode()
    data["override_reason"] = "Повторные сигналы"
    assert client.post(url("risk", case.pk), data).status_code == 302
    risk = case.risk_assessments.get()
    detail = client.get(url("risk_detail", case.pk, risk.pk)).content.decode()
    assert "+8" in detail and "+6" in detail


def test_task_add_and_owner_updates(client_for, cc: CaseCast, case: Case) -> None:
    curator = client_for(cc.curator)
    bad = curator.post(url("task_new", case.pk), {"title": "Посетить", "start_date": "31.02.2026"})
    assert bad.status_code == 200 and "Посетить" in bad.content.decode()
    assert (
        curator.post(
            url("task_new", case.pk),
            {
                "title": "Посетить семью",
                "owner_agency": cc.school.pk,
                "start_date": "29.12.2026",
                "deadline_days": 3,
                "deadline_kind": "working",
            },
        ).status_code
        == 302
    )
    task = Task.objects.get(case=case)
    assert task.due_on == dt.date(2027, 1, 12)
    teacher = client_for(cc.teacher)
    assert (
        teacher.post(
            url("task", case.pk, task.pk),
            {"version": 1, "status": TaskStatus.DONE, "evidence": "Акт"},
        ).status_code
        == 302
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_participant_not_owning_task_gets_403(client_for, cc: CaseCast, case: Case) -> None:
    task = services.task_add(
        actor=cc.curator,
        case=case,
        title="Справка КДН",
        owner_agency=cc.kdn,
        start_date=dt.date(2026, 11, 23),
        deadline_days=5,
        shared=True,  # an unshared one is absent for the school (test_need_to_know)
    )
    client = client_for(cc.teacher)
    assert client.get(url("task", case.pk, task.pk)).status_code == 403
    assert (
        client.post(url("task", case.pk, task.pk), {"version": 1, "status": "done"}).status_code
        == 403
    )


def test_task_conflict_keeps_input(client_for, cc: CaseCast, case: Case) -> None:
    task = services.task_add(
        actor=cc.curator,
        case=case,
        title="Т",
        owner_agency=cc.school,
        start_date=dt.date(2026, 11, 23),
        deadline_days=5,
    )
    services.task_update(
        actor=cc.curator,
        task=task,
        expected_version=1,
        status=TaskStatus.IN_PROGRESS,
        notes="Созвонились",
    )
    response = client_for(cc.teacher).post(
        url("task", case.pk, task.pk),
        {"version": 1, "status": TaskStatus.DONE, "evidence": "Мой акт обследования"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Мой акт обследования" in body and "Созвонились" in body
    assert 'name="version" value="2"' in body
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS


def test_plan_conflict_message_in_russian(client_for, cc: CaseCast, case: Case) -> None:
    services.plan_update(
        actor=cc.kdn_secretary,
        plan=case.plan,
        expected_version=1,
        goals="Цели КДН",
        period_start=None,
        period_end=None,
    )
    response = client_for(cc.curator).post(
        url("plan", case.pk), {"version": 1, "goals": "Мои цели", "period_start": "01.01.2027"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Мои цели" in body and "Цели КДН" in body
    assert "сохранил" in body.lower() or "сохранила" in body.lower() or "изменил" in body.lower()
    ok = client_for(cc.curator).post(url("plan", case.pk), {"version": 2, "goals": "Объединено"})
    assert ok.status_code == 302


def test_medical_notes_and_tasks_hidden(client_for, cast, cc: CaseCast, case: Case) -> None:
    services.case_participant_add(actor=cc.curator, case=case, agency=cc.clinic)
    services.note_add(actor=cc.doctor, case=case, text="Диагноз F10", is_medical=True)
    services.note_add(actor=cc.teacher, case=case, text="Пропуски занятий")
    services.task_add(
        actor=cc.curator,
        case=case,
        title="Курс лечения у нарколога",
        owner_agency=cc.clinic,
        start_date=dt.date(2026, 11, 23),
        deadline_days=5,
        is_medical=True,
    )
    for user, sees in (
        (cc.curator, True),
        (cc.doctor, True),
        (cc.teacher, False),
        (cc.kdn_secretary, False),
        (cast.coordinator, False),
    ):
        client = client_for(user)
        for name in ("detail", "timeline", "print"):
            body = client.get(url(name, case.pk)).content.decode()
            assert ("Диагноз F10" in body) is sees, (user, name)
            assert ("нарколога" in body) is sees, (user, name)
            assert "Пропуски занятий" in body
        tasks = client.get(url("tasks")).content.decode()
        assert ("нарколога" in tasks) is sees
        listing = client.get(url("list")).content.decode()
        row = re.search(r"ИПР-\d{4}-\d{6}</a></td>(.*?)</tr>", listing, re.S)
        assert row is not None
        open_counts = re.findall(r"<td>(\d+)</td>", row.group(1))
        assert open_counts == (["1", "0"] if sees else ["0", "0"]), (user, open_counts)


def test_note_by_participant(client_for, cc: CaseCast, case: Case) -> None:
    client = client_for(cc.teacher)
    assert client.post(url("note", case.pk), {"text": ""}).status_code == 200
    assert client.post(url("note", case.pk), {"text": "Мать пришла в школу"}).status_code == 302


def test_session_pdf_and_summary_pdf(client_for, cc: CaseCast, case: Case) -> None:
    from ochag.cases.tests.pdftext import pdf_text

    client = client_for(cc.kdn_secretary)
    assert (
        client.post(
            url("session", case.pk),
            {
                "date": "23.11.2026",
                "resolution_number": "45/2",
                "agenda": "О признании семьи в СОП",
                "resolution": "recognise_sop",
                "resolution_text": "Признать семью Петровых в СОП. " * 80,
            },
        ).status_code
        == 302
    )
    session = case.sessions.get()
    response = client.get(url("session_pdf", case.pk, session.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF") and b"/FontFile2" in content
    pages = len(re.findall(rb"/Type /Page\b", content))
    assert pages >= 2
    text = pdf_text(content)
    assert case.number in text and "Конфиденциально" in text
    assert f"стр. 1 из {pages}" in text and "Признать семью Петровых" in text
    assert "Напечатано" in text and "kdn" in text
    summary = client.get(url("pdf", case.pk))
    assert summary.status_code == 200 and case.number in pdf_text(summary.content)


def test_close_and_reopen_via_views(client_for, cc: CaseCast, case: Case, run_queued_tasks) -> None:
    client = client_for(cc.kdn_secretary)
    assert client.post(url("close", case.pk), {}).status_code == 200
    assert client.post(url("close", case.pk), {"ground": "causes_removed"}).status_code == 302
    run_queued_tasks()  # the outbox: mail goes from the worker
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and len(mail.outbox) == 3
    assert client.get(url("safety", case.pk)).status_code == 403  # closed is read-only
    assert client_for(cc.teacher).get(url("reopen", case.pk)).status_code == 403
    assert client.post(url("reopen", case.pk), {"reason": "Новый сигнал"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    timeline = client.get(url("timeline", case.pk)).content.decode()
    assert timeline.count("timeline__item") >= 3


def test_board_counts_match_lists(client_for, cast, cc: CaseCast, case: Case) -> None:
    for days in (1, 2):
        services.task_add(
            actor=cc.curator,
            case=case,
            title=f"Школа {days}",
            owner_agency=cc.school,
            start_date=dt.date(2026, 1, 12),
            deadline_days=days,
        )
    services.task_add(
        actor=cc.curator,
        case=case,
        title="КДН",
        owner_agency=cc.kdn,
        start_date=dt.date(2026, 1, 12),
        deadline_days=1,
    )
    services.deadlines_check(today=dt.date(2026, 11, 23))
    client = client_for(cast.coordinator)
    board = client.get(url("board")).content.decode()
    links = re.findall(
        r'href="([^"]*overdue=yes[^"]*)">(?:<span class="card__number">)?(\d+)', board
    )
    assert len(links) == 3
    for href, count in links:
        listing = client.get(href.replace("&amp;", "&")).content.decode()
        shown = re.search(r'class="table-count" role="status">(\d+)', listing)
        assert shown and shown.group(1) == count, href


def test_workload(client_for, cast, cc: CaseCast, case: Case) -> None:
    services.task_add(
        actor=cc.curator,
        case=case,
        title="Т",
        owner_agency=cc.school,
        start_date=dt.date(2026, 1, 12),
        deadline_days=1,
    )
    services.deadlines_check(today=dt.date(2026, 11, 23))
    services.task_add(
        actor=cc.curator,
        case=case,
        title="Мед",
        owner_agency=cc.school,
        start_date=dt.date(2026, 1, 12),
        deadline_days=1,
        is_medical=True,
    )
    services.task_add(
        actor=cc.curator,
        case=case,
        title="Будущее",
        owner_agency=cc.school,
        start_date=dt.date(2026, 11, 23),
        deadline_days=10,
    )
    services.deadlines_check(today=dt.date(2026, 11, 23))
    client = client_for(cast.coordinator)
    body = client.get(url("workload")).content.decode()
    assert cc.curator.display_name in body
    links = re.findall(r'<a href="(/cases/[^"]*curator=\d+)">(\d+)</a>', body)
    assert [count for _href, count in links] == ["1", "2", "1"]  # the medical task is hidden
    for href, count in links:
        listing = client.get(href.replace("&amp;", "&")).content.decode()
        shown = re.search(r'class="table-count" role="status">(\d+)', listing)
        assert shown and shown.group(1) == count, href
    assert client_for(cc.curator).get(url("workload")).status_code == 200
    other = UserFactory(agency=cc.social, role=Role.CASE_CURATOR)
    assert cc.curator.display_name not in client_for(other).get(url("workload")).content.decode()


def test_monitoring_and_participant_views(client_for, cast, cc: CaseCast, case: Case) -> None:
    client = client_for(cc.curator)
    bad = client.post(
        url("monitoring", case.pk),
        {"period_end": "30.11.2026", "summary": "Ок", "next_review": "01.11.2026"},
    )
    assert bad.status_code == 200 and "error-summary" in bad.content.decode()
    assert (
        client.post(
            url("monitoring", case.pk), {"period_end": "30.11.2026", "summary": "Ок"}
        ).status_code
        == 302
    )
    assert client.post(url("participant", case.pk), {"agency": cast.agency_a.pk}).status_code == 302
    assert case.participants.filter(agency=cast.agency_a).exists()


def test_curator_change(client_for, cc: CaseCast, case: Case) -> None:
    other = UserFactory(agency=cc.social, role=Role.CASE_CURATOR)
    client = client_for(cc.kdn_secretary)
    assert client.post(url("curator", case.pk), {"curator": 0}).status_code == 200
    assert client.post(url("curator", case.pk), {"curator": other.pk}).status_code == 302
    case.refresh_from_db()
    assert case.curator == other
    assert client_for(other).get(url("detail", case.pk)).status_code == 200


def test_every_case_page_read_is_logged(client_for, cc: CaseCast, case: Case) -> None:
    client = client_for(cc.teacher)
    for name in ("detail", "timeline", "print", "pdf"):
        client.get(url(name, case.pk))
    purposes = set(
        AccessLogEntry.objects.filter(actor=cc.teacher, object_id=str(case.pk)).values_list(
            "purpose", flat=True
        )
    )
    assert purposes == {"case detail", "case timeline", "case print", "case summary PDF"}


def test_board_flags_poverty_only_removals(client_for, cast, cc: CaseCast, case: Case) -> None:
    assessment = threat_assessment(case, cc.curator, ["no_housing"])
    services.emergency_removal_record(
        actor=cast.worker_a,
        assessment=assessment,
        children=cc.children[:1],
        act_number="3",
        act_date=dt.date(2026, 11, 23),
        prosecutor_notified_on=dt.date(2026, 11, 23),
        placement="СРЦН",
        reason="Семья на улице",
        poverty_justification="Отказ от приюта",
    )
    client = client_for(cast.coordinator)
    board = client.get(url("board")).content.decode()
    match = re.search(r'href="/cases/\?flagged=yes"><span class="card__number">(\d+)', board)
    assert match and match.group(1) == "1"
    listing = client.get(url("list"), {"flagged": "yes"}).content.decode()
    assert case.number in listing
    assert re.search(r'class="table-count" role="status">1\b', listing)


def test_risk_form_starts_unanswered_and_refuses_to_finish(
    client_for, cc: CaseCast, case: Case
) -> None:
    """Issue 13 #4: an untouched form must not read as "no risk"."""
    services.safety_assessment_record(
        actor=cc.curator, case=case, criteria=[], immediate_threat=False, reason="Нет угрозы"
    )
    client = client_for(cc.curator)
    blank = client.get(url("risk", case.pk)).content.decode()
    assert re.search(r'name="ind_[a-z_]+"[^>]*checked', blank) is None
    assert "Не известно" in blank
    partial = {"ind_parent_cruelty": "yes", "save": "1", "level": Level.TZHS}
    refused = client.post(url("risk", case.pk), partial).content.decode()
    assert "error-summary" in refused
    # Each unanswered indicator: once in the error summary, once at its field.
    assert refused.count("Ответьте на этот показатель") == 2 * (len(scoring.INDICATORS) - 1)
    assert not case.risk_assessments.exists()
    answers = all_answered(parent_cruelty="yes", parent_substance="unknown")
    data = {f"ind_{code}": answer for code, answer in answers.items()}
    preview = client.post(url("risk", case.pk), data | {"preview": "1"}).content.decode()
    assert "Не известно" in preview and "были верны" in preview
    saved = client.post(url("risk", case.pk), data | {"save": "1", "level": Level.TZHS})
    assert saved.status_code == 302
    risk = case.risk_assessments.get()
    assert risk.answers["parent_substance"] == "unknown" and risk.score == 10
    detail = client.get(url("risk_detail", case.pk, risk.pk)).content.decode()
    assert "злоупотребляет алкоголем" in detail and "«не известно»" in detail


def test_risk_service_refuses_unanswered_indicators(cc: CaseCast, case: Case) -> None:
    services.safety_assessment_record(
        actor=cc.curator, case=case, criteria=[], immediate_threat=False, reason="Нет угрозы"
    )
    with pytest.raises(ValidationError, match="не известно"):
        services.risk_assessment_record(
            actor=cc.curator,
            case=case,
            answers={"parent_cruelty": "no"},
            strengths=[],
            strengths_note="",
            level=Level.NONE,
            override_reason="",
        )


def test_kdn_resolution_is_chosen_not_preselected(client_for, cc: CaseCast, case: Case) -> None:
    page = client_for(cc.kdn_secretary).get(url("session", case.pk)).content.decode()
    select = re.search(r'<select name="resolution".*?</select>', page, re.S)
    assert select is not None and "selected" not in select.group(0).split("</option>", 1)[1]
    assert '<option value="" selected>' in select.group(0)
