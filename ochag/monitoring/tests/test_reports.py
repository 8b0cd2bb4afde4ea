"""The monthly report: built by the command the worker runs, kept, downloaded (audited)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.conftest import Cast
from ochag.core.models import AuditAction, AuditEvent
from ochag.monitoring.models import MonitoringAction, MonthlyReport
from ochag.monitoring.tests.conftest import MonitoringCast

pytestmark = pytest.mark.django_db


def test_monthly_report_is_built_kept_and_downloaded(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    call_command("monitoring_monthly_report")
    report = MonthlyReport.objects.get(region=cast.region)
    assert bytes(report.content)[:2] == b"PK"
    assert AuditEvent.objects.filter(action=MonitoringAction.REPORT_GENERATED).exists()
    client = client_for(cast.coordinator)
    listing = client.get(reverse("monitoring:reports"))
    assert report.period in listing.content.decode()
    download = client.get(reverse("monitoring:report", args=[report.pk]))
    assert download.status_code == 200 and download.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).count() == 1
    for user in (cast.analyst, cast.worker_a, mc.head_a):
        assert client_for(user).get(reverse("monitoring:reports")).status_code == 403
        assert (
            client_for(user).get(reverse("monitoring:report", args=[report.pk])).status_code == 403
        )
    assert client.get(reverse("monitoring:report", args=[report.pk + 99])).status_code == 404
    assert Client().get(reverse("monitoring:reports")).status_code == 302
