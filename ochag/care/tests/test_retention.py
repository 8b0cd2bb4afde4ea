"""Care's retention: a stay goes five years after discharge (with its reviews), visits and
closed incidents five years after they happened; a child with a stay on record cannot be
marked for deletion."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from ochag.access.models import TrustAction
from ochag.care.models import AgendaItem, IncidentKind, Outcome, Placement, Visit
from ochag.care.services import institutions, placements
from ochag.care.tests.conftest import CareCast
from ochag.care.tests.test_placements import admit
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.registry.services import person_mark_for_deletion

pytestmark = pytest.mark.django_db
YEAR = dt.timedelta(days=365)


def _stay(cast: Cast, care: CareCast, *, admitted: dt.date, discharged: dt.date | None
          ) -> Placement:  # fmt: skip
    placement = admit(cast, care, admitted_on=admitted, act_date=admitted)
    if discharged:
        placements.placement_discharge(actor=cast.worker_a, placement=placement,
                                       discharged_on=discharged, outcome=Outcome.HOME)  # fmt: skip
    return placement


def test_stays_visits_and_incidents_go_after_five_years(cast: Cast, care: CareCast) -> None:
    today = timezone.localdate()
    with time_machine.travel(timezone.now() - 7 * YEAR, tick=False):
        then = timezone.localdate()
        old = _stay(cast, care, admitted=then, discharged=None)
        still_there = _stay(cast, care, admitted=then, discharged=None)
        institutions.visit_record(
            actor=cast.coordinator, institution=care.shelter, visited_on=then, announced=False,
            findings="Без замечаний",
        )  # fmt: skip
        closed = institutions.incident_record(
            actor=cast.coordinator, institution=care.shelter, kind=IncidentKind.RUNAWAY,
            occurred_on=then, description="Самовольный уход", follow_up="Проверка",
            follow_up_agency=cast.agency_b,
        )  # fmt: skip
        institutions.incident_follow_up_done(actor=cast.coordinator, incident=closed)
        institutions.incident_record(
            actor=cast.coordinator, institution=care.shelter, kind=IncidentKind.COMPLAINT,
            occurred_on=then, description="Жалоба", follow_up="Разобрать",
            follow_up_agency=cast.agency_b,
        )  # fmt: skip
    placements.placement_discharge(
        actor=cast.worker_a, placement=old, discharged_on=then + dt.timedelta(days=200),
        outcome=Outcome.HOME,
    )  # fmt: skip
    recent = _stay(cast, care, admitted=today - 3 * YEAR, discharged=today - 2 * YEAR)
    assert AgendaItem.objects.filter(placement=old).exists()

    out = StringIO()
    call_command("retention", "--apply", stdout=out)
    report = out.getvalue()
    assert "care_discharged_placements" in report and "care_visits" in report
    assert set(Placement.objects.values_list("pk", flat=True)) == {still_there.pk, recent.pk}
    assert not AgendaItem.objects.filter(placement_id=old.pk).exists()  # reviews went with it
    assert not Visit.objects.exists()
    # The incident whose follow-up is still open stays, however old.
    assert list(care.shelter.incidents.values_list("kind", flat=True)) == [IncidentKind.COMPLAINT]
    event = AuditEvent.objects.get(action=TrustAction.RETENTION_DELETED,
                                   detail__rule="care_discharged_placements")  # fmt: skip
    assert event.object_id == str(old.pk) and old.child.last_name not in event.object_label


def test_a_child_with_a_stay_on_record_is_not_marked_for_deletion(
    cast: Cast, care: CareCast
) -> None:
    today = timezone.localdate()
    placement = _stay(cast, care, admitted=today - YEAR, discharged=today - dt.timedelta(days=30))
    with pytest.raises(ValidationError, match="пребывание в учреждении для детей"):
        person_mark_for_deletion(actor=cast.coordinator, person=placement.child,
                                 reason="Запись больше не нужна никому")  # fmt: skip
