"""The daily deadline check across the New Year holidays and a transferred working day."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import Notification
from ochag.cases import services
from ochag.cases.models import Case, Task, TaskStatus
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import signed_in
from ochag.core.scheduling import next_daily_run
from ochag.core.tasks import DAILY_HOUR, check_deadlines_daily

MSK = dt.timezone(dt.timedelta(hours=3))


def _run(time_machine, day: dt.date) -> str:
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 7, 0, tzinfo=MSK), tick=False)
    out = StringIO()
    call_command("check_deadlines", stdout=out)
    # One line per kind of deadline: the case tasks' line.
    (line,) = [ln for ln in out.getvalue().splitlines() if ln.startswith("cases.task:")]
    return line


def test_new_year_holidays_and_idempotence(
    case: Case,
    cc: CaseCast,
    time_machine,
    django_capture_on_commit_callbacks,
    run_queued_tasks,
) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 29, 10, 0, tzinfo=MSK), tick=False)
    # Owner without an assignee: the agency's duty address and its supervisor are told.
    task = services.task_add(
        actor=cc.curator,
        case=case,
        title="Посетить семью",
        owner_agency=cc.school,
        start_date=timezone.localdate(),
        deadline_days=2,
    )
    # 30.12 is working, 31.12/2026 a day off, 01–08.01 holidays, 11.01 the second day.
    assert task.due_on == dt.date(2027, 1, 11)
    with django_capture_on_commit_callbacks(execute=True):
        assert "overdue=0" in _run(time_machine, dt.date(2027, 1, 11))
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert "new=1 notifications=2" in _run(time_machine, dt.date(2027, 1, 12))
    task.refresh_from_db()
    assert task.overdue_since == dt.date(2027, 1, 12)
    recipients = {(n.agency_id, n.recipient_id) for n in Notification.objects.all()}
    assert recipients == {(cc.school.pk, None), (None, cc.school_head.pk)}
    run_queued_tasks()  # the outbox: mail goes from the worker
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert "overdue=1 new=0 notifications=0" in _run(time_machine, dt.date(2027, 1, 12))
        assert "notifications=0" in _run(time_machine, dt.date(2027, 1, 13))
    run_queued_tasks()
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2
    # The supervisor reads it on the notifications page.
    body = signed_in(cc.school_head).get(reverse("cases:notifications")).content.decode()
    assert "Посетить семью" in body and case.number in body
    task.refresh_from_db()
    assert task.overdue_since == dt.date(2027, 1, 12)


def test_transferred_saturday_counts_as_working(case: Case, cc: CaseCast, time_machine) -> None:
    # Fri 19.02.2027 + 1 working day = Sat 20.02.2027, a transferred working day.
    task = services.task_add(
        actor=cc.curator,
        case=case,
        title="Справка",
        owner_agency=cc.school,
        assignee=cc.teacher,
        start_date=dt.date(2027, 2, 19),
        deadline_days=1,
    )
    assert task.due_on == dt.date(2027, 2, 20)
    # 22 and 23.02.2027 are days off: +2 working days from the Saturday lands on 24.02.
    later = services.task_add(
        actor=cc.curator,
        case=case,
        title="Отчёт",
        owner_agency=cc.school,
        start_date=dt.date(2027, 2, 20),
        deadline_days=1,
    )
    assert later.due_on == dt.date(2027, 2, 24)
    assert "new=1" in _run(time_machine, dt.date(2027, 2, 21))
    # The assignee and the supervisor, not the agency address, when someone is assigned.
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "teacher",
        "school_head",
    }


def test_done_tasks_and_closed_cases_are_not_overdue(
    case: Case, cc: CaseCast, time_machine
) -> None:
    task = services.task_add(
        actor=cc.curator,
        case=case,
        title="Т",
        owner_agency=cc.school,
        start_date=dt.date(2026, 11, 2),
        deadline_days=1,
    )
    services.task_update(actor=cc.teacher, task=task, expected_version=1, status=TaskStatus.DONE)
    assert "overdue=0" in _run(time_machine, dt.date(2026, 11, 20))
    services.task_add(
        actor=cc.curator,
        case=case,
        title="Т2",
        owner_agency=cc.school,
        start_date=dt.date(2026, 11, 2),
        deadline_days=1,
    )
    services.case_close(actor=cc.curator, case=case, ground="moved_region")
    assert "overdue=0" in _run(time_machine, dt.date(2026, 11, 20))
    assert not Task.objects.filter(overdue_since__isnull=False).exists()


def test_background_task_runs_the_command_and_reschedules(case: Case, time_machine) -> None:
    from django_tasks_db.models import DBTaskResult

    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=MSK), tick=False)
    assert "overdue=0" in check_deadlines_daily.call()
    waiting = DBTaskResult.objects.filter(task_path=check_deadlines_daily.module_path)
    assert waiting.count() == 1
    check_deadlines_daily.call()
    assert waiting.count() == 1  # never two waiting runs
    assert next_daily_run(timezone.now(), DAILY_HOUR) == dt.datetime(2026, 11, 24, 6, 0, tzinfo=MSK)


def test_schedule_option_queues_one_daily_run(db) -> None:
    from django_tasks_db.models import DBTaskResult

    out = StringIO()
    call_command("check_deadlines", "--schedule", stdout=out)
    call_command("check_deadlines", "--schedule", stdout=out)
    assert DBTaskResult.objects.filter(task_path=check_deadlines_daily.module_path).count() == 1


def test_calendar_day_term_ending_on_a_holiday_moves_to_next_working_day() -> None:
    import datetime as dt

    from ochag.core.deadlines import due_date

    # 28.12.2026 + 7 days = 04.01.2027, a New Year holiday; the term ends on 11.01.2027.
    assert due_date(dt.date(2026, 12, 28), 7, kind="calendar") == dt.date(2027, 1, 11)
    # An ordinary Monday + 7 days stays a Monday.
    assert due_date(dt.date(2026, 11, 23), 7, kind="calendar") == dt.date(2026, 11, 30)
