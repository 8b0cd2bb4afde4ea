"""Form 103-РИК: the page, XLSX and PDF; its lines agree with the dashboard's tiles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.conftest import Cast
from ochag.core.models import AuditAction, AuditEvent
from ochag.monitoring.tests.conftest import MonitoringCast

pytestmark = pytest.mark.django_db

URL = reverse("monitoring:form103")


def _lines(response: object) -> dict[str, object]:
    return {
        line.number: line.figure
        for section in response.context["sections"]  # type: ignore[attr-defined]
        for line in section.lines
    }


def test_coordinator_reads_and_exports_form_103(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.coordinator)
    response = client.get(URL, {"year": 2026})
    assert response.status_code == 200
    lines = _lines(response)
    assert lines["4.1"].value == 1  # families in СОП at the year's end
    assert lines["4.3"].value == 2  # cases opened
    for figure in lines.values():
        if figure.url:
            listing = client.get(figure.url)
            assert listing.context["table"].page.paginator.count == figure.value
    xlsx = client.get(URL, {"year": 2026, "format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(URL, {"year": 2026, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).count() == 2


def test_analyst_gets_form_103_suppressed_without_links(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.analyst)
    response = client.get(URL, {"year": 2026})
    assert response.status_code == 200
    assert "/list/" not in response.content.decode()
    lines = _lines(response)
    assert lines["4.1"].hidden and lines["4.1"].text == "менее 5"
    assert client.get(URL, {"year": 2026, "format": "xlsx"}).status_code == 200


def test_form_103_access(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    assert client_for(cast.worker_a).get(URL).status_code == 403
    assert client_for(mc.head_a).get(URL, {"territory": cast.municipality_b.pk}).status_code == 404
    assert client_for(mc.head_a).get(URL).status_code == 200
    assert Client().get(URL).status_code == 302


def test_indicator_tables_export_with_suppression(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    import io

    from openpyxl import load_workbook

    url = reverse("monitoring:export", args=["signals_received"])
    response = client_for(cast.analyst).get(url, {"period": "2026"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {row[1]: row[2] for row in sheet.iter_rows(values_only=True)}
    assert cells[cast.municipality_b.name] == "менее 5"
    assert cells[cast.municipality_a.name] == "менее 5"  # else 12 − 9 would tell B's 3
    assert cells["Итого"] == "12"
    assert client_for(cast.worker_a).get(url).status_code == 403
    assert Client().get(url).status_code == 302
