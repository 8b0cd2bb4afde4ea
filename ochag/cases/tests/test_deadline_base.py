"""Core's deadline base (ochag.core.deadlines) on its first users, case and signal tasks:
the queryset's boundaries, the registry's daily check and the home-page line it offers."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from ochag.cases import services
from ochag.cases.models import Case, Task, TaskStatus
from ochag.cases.tests.conftest import CaseCast
from ochag.core import deadlines
from ochag.core.models import AuditEvent

DAY = dt.date(2026, 11, 23)  # a Monday


def _task(case: Case, cc: CaseCast, start: dt.date, days: int, title: str = "Т") -> Task:
    return services.task_add(
        actor=cc.curator,
        case=case,
        title=title,
        owner_agency=cc.school,
        start_date=start,
        deadline_days=days,
    )


def test_open_overdue_and_due_within_boundaries(case: Case, cc: CaseCast) -> None:
    yesterday = _task(case, cc, DAY - dt.timedelta(days=4), 1, "due Fri")  # due 20.11
    today = _task(case, cc, DAY - dt.timedelta(days=1), 0, "due today")  # Sunday → Monday
    in_two = _task(case, cc, DAY, 2, "due Wed")  # 25.11
    done = _task(case, cc, DAY - dt.timedelta(days=10), 1, "done")
    services.task_update(actor=cc.teacher, task=done, expected_version=1, status=TaskStatus.DONE)
    assert (yesterday.due_on, today.due_on, in_two.due_on) == (
        dt.date(2026, 11, 20),
        DAY,
        dt.date(2026, 11, 25),
    )
    tasks = Task.objects.filter(case=case)
    assert set(tasks.open()) == {yesterday, today, in_two}
    assert set(tasks.done()) == {done}
    assert list(tasks.overdue(DAY)) == [yesterday]  # due today is not late yet
    assert set(tasks.due_within(2, DAY)) == {today, in_two}
    assert set(tasks.due_within(1, DAY)) == {today}
    assert yesterday.is_overdue_on(DAY) and not today.is_overdue_on(DAY)


def test_check_stamps_then_clears_when_the_task_is_done(case: Case, cc: CaseCast) -> None:
    task = _task(case, cc, DAY - dt.timedelta(days=4), 1)
    (report,) = deadlines.deadlines_check(day=DAY, only=["cases.task"])
    assert (report.overdue, report.newly_overdue) == (1, 1)
    task.refresh_from_db()
    assert task.overdue_since == DAY
    event = AuditEvent.objects.get(action="case_deadlines_checked")
    assert event.detail["kind"] == "cases.task" and event.detail["new"] == 1
    # Marked done behind the services' back (a bulk update): the next check clears the stamp.
    Task.objects.filter(pk=task.pk).update(done_on=DAY)
    (report,) = deadlines.deadlines_check(day=DAY + dt.timedelta(days=1), only=["cases.task"])
    assert report.overdue == 0
    task.refresh_from_db()
    assert task.overdue_since is None


def test_every_registered_kind_is_checked(case: Case, cc: CaseCast) -> None:
    keys = [r.key for r in deadlines.deadlines_check(day=DAY)]
    assert {"cases.task", "signals.task"} <= set(keys)


def test_a_kind_on_the_worklist_gets_a_home_page_line(
    case: Case, cc: CaseCast, monkeypatch: pytest.MonkeyPatch
) -> None:
    _task(case, cc, DAY - dt.timedelta(days=4), 1)
    kind = next(k for k in deadlines.kinds() if k.key == "cases.task")
    monkeypatch.setitem(deadlines._kinds, kind.key, dataclasses.replace(kind, on_worklist=True))
    lines = deadlines.overdue_lines(cc.curator, on=DAY)
    (line,) = [ln for ln in lines if str(kind.label) in ln.label]
    assert line.count == 1 and line.url.endswith("?overdue=yes")
    # Someone outside the case sees nothing: the count starts from the kind's policy.
    assert not [ln for ln in deadlines.overdue_lines(cc.doctor, on=DAY) if ln.count]


def test_calendar_and_working_day_terms() -> None:
    assert deadlines.due_date(DAY, 5) == dt.date(2026, 11, 30)
    assert deadlines.due_date(DAY, 5, kind=deadlines.DayKind.CALENDAR) == dt.date(2026, 11, 30)
    # Friday + 1 calendar day is a Saturday: the term ends on Monday.
    assert deadlines.due_date(dt.date(2026, 11, 27), 1, kind="calendar") == DAY + dt.timedelta(7)


def test_pages_show_the_stored_due_date(case: Case, cc: CaseCast) -> None:
    from django.urls import reverse

    from ochag.conftest import signed_in

    task = _task(case, cc, DAY - dt.timedelta(days=4), 1)
    client = signed_in(cc.curator)
    for url in (
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:tasks"),
        reverse("cases:task", args=[case.pk, task.pk]),
    ):
        assert "20.11.2026" in client.get(url).content.decode(), url
