"""Targets and the staff-training register: who may set and record, what is audited, and
the training indicator's count against its list."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.monitoring import services
from ochag.monitoring.models import IndicatorTarget, MonitoringAction, TrainingRecord
from ochag.monitoring.periods import Period
from ochag.monitoring.selectors import dashboard, scope_for
from ochag.monitoring.tests.conftest import MonitoringCast

pytestmark = pytest.mark.django_db


def test_coordinator_sets_a_target_shown_on_the_tile(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.coordinator)
    url = reverse("monitoring:targets", args=["cases_opened"])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"territory": cast.region.pk, "year": "x", "value": "5"})
    assert bad.status_code == 200 and bad.context["form"].errors
    response = client.post(url, {"territory": cast.region.pk, "year": 2026, "value": "5"})
    assert response.status_code == 302
    assert IndicatorTarget.objects.get(code="cases_opened").value == Decimal("5")
    assert AuditEvent.objects.filter(action=MonitoringAction.TARGET_SET).count() == 1
    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    tile = dashboard(scope, Period(2026), codes=["cases_opened"])[0]
    assert tile.target_text == "5"
    client.post(url, {"territory": cast.region.pk, "year": 2026, "value": ""})
    assert not IndicatorTarget.objects.exists()


def test_only_the_coordinator_sets_targets(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    url = reverse("monitoring:targets", args=["cases_opened"])
    for user in (mc.head_a, cast.analyst, cast.worker_a):
        assert client_for(user).get(url).status_code == 403
    assert (
        client_for(cast.coordinator).get(reverse("monitoring:targets", args=["nope"])).status_code
        == 404
    )
    assert Client().get(url).status_code == 302


def test_training_register_and_indicator(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.coordinator)
    new = reverse("monitoring:training_new")
    response = client.post(
        new,
        {
            "specialist": cast.worker_a.pk,
            "course": "Технология раннего выявления",
            "hours": "72",
            "completed_on": "15.03.2026",
            "certificate": "У-123",
        },
    )
    assert response.status_code == 302
    bad = client.post(new, {"specialist": cast.worker_a.pk, "course": "", "hours": "0"})
    assert bad.status_code == 200 and bad.context["form"].errors
    services.training_record(
        actor=cast.coordinator,
        specialist=cast.worker_a,
        course="Второй курс",
        hours=16,
        completed_on=Period(2026, 4).first_day,
    )
    services.training_record(
        actor=cast.coordinator,
        specialist=cast.worker_b,
        course="Курс 2025",
        hours=16,
        completed_on=Period(2025, 4).first_day,
    )
    assert TrainingRecord.objects.count() == 3
    listing = client.get(reverse("monitoring:training"))
    assert listing.context["table"].page.paginator.count == 3
    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    tile = dashboard(scope, Period(2026), codes=["specialists_trained"])[0]
    assert tile.value.value == 1  # worker A, twice; worker B trained in 2025
    assert tile.previous.value == 1
    drill = client.get(tile.value.url)
    assert drill.context["table"].page.paginator.count == 1


def test_training_register_access(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    services.training_record(
        actor=cast.coordinator,
        specialist=cast.worker_b,
        course="Курс",
        hours=8,
        completed_on=Period(2026, 2).first_day,
    )
    url = reverse("monitoring:training")
    # A supervisor sees and records their own agency's training only.
    supervisor = client_for(cast.supervisor_a)
    assert supervisor.get(url).context["table"].page.paginator.count == 0
    form = supervisor.get(reverse("monitoring:training_new")).context["form"]
    assert set(form.fields["specialist"].queryset) == {cast.worker_a, cast.supervisor_a}
    for user in (cast.worker_a, cast.analyst):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).get(reverse("monitoring:training_new")).status_code == 403
    assert Client().get(url).status_code == 302
