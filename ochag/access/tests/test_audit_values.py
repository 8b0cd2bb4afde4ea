"""The audit list shows values people read: no raw object ids, no request-id column, dates
typed as ДД.ММ.ГГГГ; the request id stays on an entry's own page, for administrators."""

from __future__ import annotations

import datetime as dt

import pytest

from ochag.access.services import agency_update
from ochag.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_audit_list_has_no_object_ids_and_no_request_column(cast, client_for) -> None:
    agency_update(actor=cast.admin, agency=cast.agency_a, name="Опека города А")
    event = AuditEvent.objects.latest("id")
    AuditEvent.objects.filter(pk=event.pk).update(request_id="req-4f1c2a9e")
    page = client_for(cast.coordinator).get("/audit/").content.decode()
    assert "Опека города А" in page
    assert f"#{event.object_id}" not in page
    assert "req-4f1c2a9e" not in page and "Запрос" not in page
    assert f'href="/audit/{event.pk}/"' in page


def test_entry_page_shows_request_id_to_administrators_only(cast, client_for) -> None:
    agency_update(actor=cast.admin, agency=cast.agency_a, name="Опека города А")
    event = AuditEvent.objects.latest("id")
    AuditEvent.objects.filter(pk=event.pk).update(request_id="req-4f1c2a9e")
    url = f"/audit/{event.pk}/"
    admin_page = client_for(cast.admin).get(url)
    assert admin_page.status_code == 200 and "req-4f1c2a9e" in admin_page.content.decode()
    coordinator_page = client_for(cast.coordinator).get(url)
    assert coordinator_page.status_code == 200
    assert "req-4f1c2a9e" not in coordinator_page.content.decode()
    assert client_for(cast.worker_a).get(url).status_code == 403
    assert client_for(cast.coordinator).get("/audit/999999/").status_code == 404


def test_audit_dates_are_typed_as_day_month_year(cast, client_for) -> None:
    agency_update(actor=cast.admin, agency=cast.agency_a, name="Опека города А")
    client = client_for(cast.coordinator)
    page = client.get("/audit/").content.decode()
    assert 'type="date"' not in page and 'placeholder="ДД.ММ.ГГГГ"' in page
    today = dt.date.today()
    tomorrow = (today + dt.timedelta(days=1)).strftime("%d.%m.%Y")
    found = client.get("/audit/", {"date_from": today.strftime("%d.%m.%Y")})
    assert "Опека города А" in found.content.decode()
    later = client.get("/audit/", {"date_from": tomorrow}).content.decode()
    assert "Опека города А" not in later
    assert f'value="{tomorrow}"' in later  # what was typed stays as typed
