"""Care's deadlines on the core base: an overdue placement review escalates to the region's
coordinator by the daily job (inbox + mail through access's notifications, once per review),
counted on the working-day calendar across the New Year holidays; incident follow-ups and
transformation milestones are deadline tasks with an owner, due date and done date, their
overdue ones on the coordinator's board and told to the responsible agency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import Notification, Role, User
from ochag.access.tests.factories import UserFactory
from ochag.care.deadlines import FOLLOW_UP, MILESTONE, REVIEW
from ochag.care.models import IncidentKind, Milestone
from ochag.care.services import institutions
from ochag.care.tests.conftest import CareCast
from ochag.care.tests.test_placements import admit
from ochag.care.worklist import lines
from ochag.conftest import Cast
from ochag.core.deadlines import deadlines_check
from ochag.core.models import AuditEvent

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]
MSK = dt.timezone(dt.timedelta(hours=3))


def _check(time_machine, day: dt.date) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The daily job on ``day``: every kind's report line, by kind."""
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 7, 0, tzinfo=MSK), tick=False)
    out = StringIO()
    call_command("check_deadlines", stdout=out)
    return {ln.split(":")[0]: ln for ln in out.getvalue().splitlines()}


def _run(time_machine, day: dt.date, key: str = REVIEW) -> str:  # type: ignore[no-untyped-def]
    return _check(time_machine, day)[key]


def test_overdue_review_escalates_to_the_coordinator_once_across_holidays(
    cast: Cast,
    care: CareCast,
    time_machine,
    django_capture_on_commit_callbacks,
    run_queued_tasks,
) -> None:
    cast.coordinator.email = "coordinator@example.org"
    cast.coordinator.save(update_fields=["email"])
    time_machine.move_to(dt.datetime(2026, 12, 30, 10, 0, tzinfo=MSK), tick=False)
    placement = admit(
        cast, care, institution=care.shelter, admitted_on=dt.date(2026, 12, 30),
        act_date=dt.date(2026, 12, 30),
    )  # fmt: skip
    review = placement.reviews.get()
    # 31.12 and 1–10 January are days off: the tenth working day after 30.12 is 22.01.
    assert review.due_on == dt.date(2027, 1, 22)
    for day in (dt.date(2027, 1, 8), dt.date(2027, 1, 22)):  # a holiday; the last day
        assert "overdue=0" in _run(time_machine, day)
    assert not Notification.objects.exists()
    # 23–24.01 a weekend: the check of Saturday already finds it late (due before the day).
    with django_capture_on_commit_callbacks(execute=True):
        assert "overdue=1 new=1 notifications=1" in _run(time_machine, dt.date(2027, 1, 23))
    note = Notification.objects.get()
    assert note.recipient == cast.coordinator and note.kind == "care_overdue"
    assert note.url == reverse("care:placement", args=[placement.pk])
    assert f"№ {placement.pk}" in note.text and "22.01.2027" in note.text
    assert "Сидоров" not in note.text  # no personal data: the number and the institution
    run_queued_tasks()
    (letter,) = mail.outbox
    assert letter.to == ["coordinator@example.org"]
    assert "Сидоров" not in letter.body and "Приют «Маяк»" in letter.body
    assert "рассмотрение" in letter.subject.lower()
    # The daily job runs again the same day and on the following working days: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        assert "overdue=1 new=0 notifications=0" in _run(time_machine, dt.date(2027, 1, 23))
        assert "notifications=0" in _run(time_machine, dt.date(2027, 1, 25))
    run_queued_tasks()
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1
    review.refresh_from_db()
    assert review.overdue_since == dt.date(2027, 1, 23)
    assert AuditEvent.objects.filter(action="care_deadlines_checked").count() == 1


def test_escalation_goes_to_every_coordinator_and_not_to_another_region(
    cast: Cast, care: CareCast
) -> None:
    second = UserFactory(
        username="coordinator2", agency=cast.ministry, role=Role.REGIONAL_COORDINATOR
    )
    today = timezone.localdate()
    admit(cast, care, admitted_on=today - dt.timedelta(days=60))
    (report,) = deadlines_check(day=today, only=[REVIEW])
    assert report.notifications == 2
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {cast.coordinator.pk, second.pk}
    assert care.stranger.pk not in recipients
    # The next day's run tells nobody again.
    (again,) = deadlines_check(day=today + dt.timedelta(days=1), only=[REVIEW])
    assert again.notifications == 0


def test_without_a_coordinator_the_ministry_duty_address_is_told(
    cast: Cast, care: CareCast
) -> None:
    cast.coordinator.is_active = False
    cast.coordinator.save(update_fields=["is_active"])
    today = timezone.localdate()
    admit(cast, care, admitted_on=today - dt.timedelta(days=60))
    (report,) = deadlines_check(day=today, only=[REVIEW])
    assert report.notifications == 1
    assert Notification.objects.get().agency == cast.ministry


def _incident(cast: Cast, care: CareCast, days: int = 5):  # type: ignore[no-untyped-def]
    return institutions.incident_record(
        actor=cast.coordinator,
        institution=care.home,
        kind=IncidentKind.COMPLAINT,
        occurred_on=timezone.localdate(),
        description="Жалоба воспитанника на питание",
        follow_up="Проверка питания",
        follow_up_agency=cast.agency_b,
        follow_up_days=days,
    )


def _milestone(cast: Cast, care: CareCast, due_on: dt.date) -> Milestone:
    return institutions.milestone_add(
        actor=cast.coordinator,
        institution=care.home,
        title="Открыть отделение сопровождаемого проживания",
        owner="Директор",
        owner_agency=care.home_agency,
        due_on=due_on,
    )


def test_follow_ups_and_milestones_are_deadline_tasks_on_the_board(
    cast: Cast, care: CareCast, time_machine, client_for: Clients
) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 29, 10, 0, tzinfo=MSK), tick=False)
    incident = _incident(cast, care, days=2)
    # 30.12 is working, 31.12 and 1–10.01 days off: the second working day is 11.01.2027.
    assert incident.due_on == dt.date(2027, 1, 11)
    milestone = _milestone(cast, care, dt.date(2027, 1, 11))
    done = _milestone(cast, care, dt.date(2026, 12, 1))
    institutions.milestone_done(
        actor=cast.coordinator, milestone=done, done_on=dt.date(2026, 12, 2)
    )
    assert "overdue=0" in _run(time_machine, dt.date(2027, 1, 11), FOLLOW_UP)
    board = {line.label: line.count for line in lines(cast.coordinator)}
    assert "Просроченные поручения по происшествиям" not in board
    report = _check(time_machine, dt.date(2027, 1, 12))
    assert "overdue=1 new=1 notifications=1" in report[FOLLOW_UP]
    assert "overdue=1 new=1 notifications=1" in report[MILESTONE]
    incident.refresh_from_db()
    milestone.refresh_from_db()
    assert incident.overdue_since == milestone.overdue_since == dt.date(2027, 1, 12)
    # The follow-up's responsible agency (its duty address) is told once.
    (note,) = Notification.objects.filter(kind="care_overdue", agency=cast.agency_b)
    assert "Проверка питания" in note.text
    assert "notifications=0" in _run(time_machine, dt.date(2027, 1, 13), FOLLOW_UP)
    # The coordinator's board counts them and links to the lists that show them.
    board = {line.label: line for line in lines(cast.coordinator)}
    follow_ups = board["Просроченные поручения по происшествиям"]
    milestones = board["Просроченные этапы преобразования учреждений"]
    assert follow_ups.count == 1 and milestones.count == 1
    page = client_for(cast.coordinator).get(follow_ups.url).content.decode()
    assert "Проверка питания" in page
    page = client_for(cast.coordinator).get(milestones.url).content.decode()
    assert "Открыть отделение" in page and "02.12.2026" not in page
    # The responsible agency's staff see their own overdue follow-up on their home page.
    agency_line = {ln.label: ln.count for ln in lines(cast.worker_b)}
    assert agency_line["Просроченные поручения по происшествиям"] == 1
    assert not [ln for ln in lines(care.shelter_staff) if ln.count]
    # Done: off the board, and the daily check clears the stamp.
    institutions.incident_follow_up_done(actor=cast.coordinator, incident=incident)
    _run(time_machine, dt.date(2027, 1, 14), FOLLOW_UP)
    incident.refresh_from_db()
    assert incident.overdue_since is None
    board = {line.label: line.count for line in lines(cast.coordinator)}
    assert "Просроченные поручения по происшествиям" not in board


def test_task_lists_filters_and_access(cast: Cast, care: CareCast, client_for: Clients) -> None:
    today = timezone.localdate()
    _incident(cast, care)
    _milestone(cast, care, today - dt.timedelta(days=3))
    follow_ups = reverse("care:follow_ups")
    milestones = reverse("care:milestones")
    # The institution's own staff and the responsible agency see the follow-up; another
    # institution's staff and another region see none; the analyst reads no personal lists.
    for user in (cast.coordinator, care.staff, cast.worker_b):
        assert "Проверка питания" in client_for(user).get(follow_ups).content.decode(), user
    for user in (care.shelter_staff, care.stranger, cast.worker_a):
        body = client_for(user).get(follow_ups).content.decode()
        assert "Проверка питания" not in body, user
    assert client_for(cast.analyst).get(follow_ups).status_code == 403
    assert "Открыть отделение" in client_for(cast.analyst).get(milestones).content.decode()
    assert "Открыть отделение" not in client_for(care.stranger).get(milestones).content.decode()
    overdue = client_for(cast.coordinator).get(milestones + "?due=overdue").content.decode()
    done = client_for(cast.coordinator).get(milestones + "?due=done").content.decode()
    assert "Открыть отделение" in overdue and "Открыть отделение" not in done


def test_milestone_form_needs_the_responsible_agency(
    cast: Cast, care: CareCast, client_for: Clients
) -> None:
    url = reverse("care:milestone_add", args=[care.home.pk])
    data = {"title": "Закрыть спальный корпус", "owner": "Директор", "due_on": "01.06.2027"}
    bad = client_for(cast.coordinator).post(url, data)
    assert bad.status_code == 200 and "Закрыть спальный корпус" in bad.content.decode()
    ok = client_for(cast.coordinator).post(url, {**data, "owner_agency": cast.ministry.pk})
    assert ok.status_code == 302
    assert Milestone.objects.get(title="Закрыть спальный корпус").owner_agency == cast.ministry
    assert client_for(care.staff).get(url).status_code == 403
    assert client_for(care.stranger).get(url).status_code == 404
