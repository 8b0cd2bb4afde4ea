import pytest
from django.db import IntegrityError, transaction

from ochag.access.models import Role
from ochag.access.services import agency_update, user_create
from ochag.core.models import AuditEvent


def test_change_and_its_audit_entry_commit_together(cast) -> None:
    before = AuditEvent.objects.count()
    agency_update(actor=cast.admin, agency=cast.agency_a, name="Опека города А")
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "agency_updated"
    assert event.actor == cast.admin
    assert event.agency == cast.ministry
    assert event.territory == cast.municipality_a
    assert event.detail == {"name": ["Опека А", "Опека города А"]}


def test_failed_change_leaves_no_audit_entry(cast) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        user_create(
            actor=cast.admin,
            username=cast.worker_a.username,
            password="x" * 12,
            agency=cast.agency_a,
            role=Role.CASE_CURATOR,
        )
    assert AuditEvent.objects.count() == before


def test_audit_search_screen(cast, client_for) -> None:
    agency_update(actor=cast.admin, agency=cast.agency_a, name="Опека города А")
    client = client_for(cast.coordinator)
    response = client.get("/audit/", {"q": "Опека города А"})
    assert response.status_code == 200
    assert "Опека города А" in response.content.decode()
    response = client.get("/audit/", {"q": "nothing-like-this"})
    assert "Опека города А" not in response.content.decode()


@pytest.mark.parametrize("who", ["worker_a", "supervisor_a", "analyst"])
def test_audit_log_is_for_coordinator_and_admin_only(cast, client_for, who) -> None:
    assert client_for(getattr(cast, who)).get("/audit/").status_code == 403


def test_audit_search_rejects_bad_dates_politely(cast, client_for) -> None:
    response = client_for(cast.coordinator).get("/audit/", {"date_from": "31.02.2026"})
    assert response.status_code == 200
    assert "Обнаружены ошибки" in response.content.decode()


def test_access_log_screen_lists_views_in_region(cast, client_for) -> None:
    from ochag.core.services import access_log_record
    from ochag.registry.tests.factories import PersonFactory

    person = PersonFactory(territory=cast.municipality_a, first_name="Алиса")
    access_log_record(actor=cast.worker_a, obj=person, purpose="проверка")
    page = client_for(cast.coordinator).get("/audit/views/", {"q": "Алиса"}).content.decode()
    assert "Алиса" in page and "проверка" in page
    assert client_for(cast.worker_a).get("/audit/views/").status_code == 403
