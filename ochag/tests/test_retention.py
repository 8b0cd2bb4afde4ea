"""Retention: records past their term are listed (dry run, audited), then deleted with an
audit entry each; a person is deleted only after the coordinator's mark, with a reason, when
nothing needs them any more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import TrustAction, User
from ochag.access.tasks import retention_nightly
from ochag.cases.models import Case, CaseStatus
from ochag.conftest import Cast
from ochag.core.models import AccessLogEntry, AuditEvent
from ochag.registry.models import Membership, Person, PersonDeletionMark
from ochag.registry.services import person_mark_for_deletion
from ochag.registry.tests.factories import HouseholdFactory, make_person
from ochag.signals.models import Attachment, Signal, SignalSubject, Status, SubjectRole
from ochag.signals.tests.factories import report_about

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
YEAR = dt.timedelta(days=365)


def _signal(cast: Cast, *, status: str, received: dt.datetime) -> Signal:
    home = HouseholdFactory(territory=cast.municipality_a)
    return report_about(cast.agency_a, home, status=status, received_at=received)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_signals_that_led_nowhere_go_after_three_years(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    old = _signal(cast, status=Status.CLOSED, received=now - 4 * YEAR)
    Attachment.objects.create(signal=old, file=ContentFile(b"%PDF", name="akt.pdf"),
                              name="akt.pdf", content_type="application/pdf", size=4)  # fmt: skip
    stored = Attachment.objects.get().file
    kept = [
        _signal(cast, status=Status.CLOSED, received=now - 2 * YEAR),  # not yet
        _signal(cast, status=Status.ACCEPTED, received=now - 4 * YEAR),  # still open
    ]
    led = _signal(cast, status=Status.CLOSED, received=now - 4 * YEAR)
    Case.objects.create(number="1/2022", region=cast.region, territory=cast.municipality_a,
                        household=led.household, curator=cast.worker_a, opened_by=cast.worker_a,
                        source_signal=led)  # fmt: skip
    kept.append(led)

    plan = _run()
    assert "signals_without_case" in plan and "1 past term (dry run)" in plan
    assert f"№ {old.pk}" in plan
    assert Signal.objects.count() == 4  # a dry run deletes nothing
    planned = AuditEvent.objects.get(action=TrustAction.RETENTION_PLANNED)
    assert planned.detail["signals_without_case"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        done = _run("--apply")
    assert "signals_without_case" in done
    assert set(Signal.objects.values_list("pk", flat=True)) == {s.pk for s in kept}
    event = AuditEvent.objects.get(action=TrustAction.RETENTION_DELETED)
    assert (event.object_type, event.object_id) == ("signals.signal", str(old.pk))
    assert event.detail["rule"] == "signals_without_case" and event.detail["days"] == 3 * 365
    assert "Ребёнок" not in event.object_label  # the deleted record's number, no content
    assert not stored.storage.exists(stored.name)


def test_closed_cases_go_after_five_years_and_logs_by_count(cast: Cast) -> None:
    home = HouseholdFactory(territory=cast.municipality_a)
    now = timezone.now()
    old = Case.objects.create(number="1/2019", region=cast.region, territory=cast.municipality_a,
                              household=home, curator=cast.worker_a, opened_by=cast.worker_a,
                              status=CaseStatus.CLOSED, closed_at=now - 6 * YEAR)  # fmt: skip
    recent = Case.objects.create(number="2/2024", region=cast.region,
                                 territory=cast.municipality_a, household=home,
                                 curator=cast.worker_a, opened_by=cast.worker_a,
                                 status=CaseStatus.CLOSED, closed_at=now - 2 * YEAR)  # fmt: skip
    person = make_person(cast.municipality_a)
    for _ in range(3):
        AccessLogEntry.objects.create(actor=cast.worker_a, object_type="registry.person",
                                      object_id=str(person.pk), object_label="x")  # fmt: skip
    AccessLogEntry.objects.update(at=now - 4 * YEAR)
    AccessLogEntry.objects.create(actor=cast.worker_a, object_type="registry.person",
                                  object_id=str(person.pk), object_label="fresh")  # fmt: skip
    _run("--apply")
    assert list(Case.objects.values_list("pk", flat=True)) == [recent.pk]
    assert AuditEvent.objects.filter(action=TrustAction.RETENTION_DELETED,
                                     object_id=str(old.pk)).exists()  # fmt: skip
    assert list(AccessLogEntry.objects.values_list("object_label", flat=True)) == ["fresh"]
    logs = AuditEvent.objects.get(action=TrustAction.RETENTION_DELETED, detail__rule="access_log")
    assert logs.detail["deleted"] == 3


def test_a_person_goes_only_after_a_mark_with_a_reason(cast: Cast, time_machine: Any) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    person = make_person(cast.municipality_a, last_name="Удаляемая")
    with pytest.raises(ValidationError, match="не короче"):
        person_mark_for_deletion(actor=cast.coordinator, person=person, reason="ошибка")
    person_mark_for_deletion(actor=cast.coordinator, person=person,
                             reason="Запись создана по ошибке, человека не существует")  # fmt: skip
    assert AuditEvent.objects.filter(action=TrustAction.PERSON_MARKED).exists()
    time_machine.shift(dt.timedelta(days=6))
    _run("--apply")
    assert Person.objects.filter(pk=person.pk).exists()  # a week to withdraw the mark
    time_machine.shift(dt.timedelta(days=2))
    _run("--apply")
    assert not Person.objects.filter(pk=person.pk).exists()
    event = AuditEvent.objects.get(action=TrustAction.RETENTION_DELETED, object_id=str(person.pk))
    assert "Удаляемая" not in event.object_label and event.detail["rule"] == "marked_persons"


def test_what_still_needs_a_person_blocks_the_mark(cast: Cast, client_for: ClientFor) -> None:
    person = make_person(cast.municipality_a, last_name="Нужная")
    home = HouseholdFactory(territory=cast.municipality_a)
    Membership.objects.create(household=home, person=person, role="child")
    signal = report_about(cast.agency_a, home)
    SignalSubject.objects.create(signal=signal, role=SubjectRole.CHILD, person=person)
    Case.objects.create(number="3/2026", region=cast.region, territory=cast.municipality_a,
                        household=home, curator=cast.worker_a, opened_by=cast.worker_a)  # fmt: skip
    url = reverse("registry:person_deletion", args=[person.pk])
    page = client_for(cast.coordinator).get(url).content.decode()
    assert "1 сигнал, в котором назван человек" in page and "1 случай семьи человека" in page
    response = client_for(cast.coordinator).post(url, {"reason": "Запись больше не нужна никому"})
    assert response.status_code == 200
    assert "пока человек нужен другим записям" in response.content.decode()
    assert not PersonDeletionMark.objects.exists()
    with pytest.raises(ValidationError, match="ещё нужна"):
        person_mark_for_deletion(actor=cast.coordinator, person=person,
                                 reason="Запись больше не нужна никому")  # fmt: skip


def test_the_marking_page_is_the_coordinators(cast: Cast, client_for: ClientFor) -> None:
    person = make_person(cast.municipality_a, last_name="Лишняя")
    url = reverse("registry:person_deletion", args=[person.pk])
    assert client_for(cast.worker_a).get(url).status_code == 403  # sees the person, may not
    assert client_for(cast.worker_b).get(url).status_code == 404  # does not see the person
    assert client_for(cast.analyst).get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    coordinator = client_for(cast.coordinator)
    card = coordinator.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert url in card
    response = coordinator.post(url, {"reason": "Запись создана по ошибке при обучении"})
    assert response.status_code == 302
    assert PersonDeletionMark.objects.get().marked_by == cast.coordinator
    coordinator.post(url, {"action": "unmark"})
    assert not PersonDeletionMark.objects.exists()
    assert AuditEvent.objects.filter(action=TrustAction.PERSON_UNMARKED).exists()


def test_the_nightly_run_is_queued_once_and_applies(cast: Cast) -> None:
    from django_tasks_db.models import DBTaskResult

    _run("--schedule")
    _run("--schedule")
    assert DBTaskResult.objects.filter(task_path__endswith="retention_nightly").count() == 1
    old = _signal(cast, status=Status.CLOSED, received=timezone.now() - 4 * YEAR)
    output = retention_nightly.call(reschedule=False)
    assert "signals_without_case" in output
    assert not Signal.objects.filter(pk=old.pk).exists()
