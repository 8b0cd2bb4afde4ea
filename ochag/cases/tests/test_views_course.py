"""Case views of the course of a case: tasks and plan (conflicts kept), notes, PDFs, closing
and re-opening, the board and workload, monitoring, curator, the read log."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.urls import reverse

from ochag.access.models import Role
from ochag.access.tests.factories import UserFactory
from ochag.cases import services
from ochag.cases.models import Case, CaseStatus, Task, TaskStatus
from ochag.cases.tests.conftest import CaseCast, threat_assessment
from ochag.core.models import AccessLogEntry


def url(name: str, *args: int) -> str:
    return reverse(f"cases:{name}", args=args)


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
