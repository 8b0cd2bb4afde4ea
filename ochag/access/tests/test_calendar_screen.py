import datetime as dt

from ochag.core.calendar import is_working_day
from ochag.core.models import AuditEvent, CalendarOverride


def test_coordinator_adds_and_removes_a_regional_day_off(cast, client_for) -> None:
    client = client_for(cast.coordinator)
    response = client.post(
        "/calendar/", {"date": "21.04.2026", "is_working": "0", "reason": "Радоница"}
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get(region=cast.region, date=dt.date(2026, 4, 21))
    assert not is_working_day(dt.date(2026, 4, 21), territory=cast.municipality_a)
    assert "Радоница" in client_for(cast.worker_a).get("/calendar/").content.decode()
    assert client.post(f"/calendar/{override.pk}/delete/").status_code == 302
    assert is_working_day(dt.date(2026, 4, 21), territory=cast.municipality_a)
    assert AuditEvent.objects.filter(action="calendar_changed").count() == 2


def test_calendar_is_read_only_for_staff(cast, client_for) -> None:
    override = CalendarOverride.objects.create(
        region=cast.region, date=dt.date(2026, 4, 21), is_working=False, reason="Радоница"
    )
    client = client_for(cast.worker_a)
    page = client.get("/calendar/").content.decode()
    assert "Добавить исключение" not in page
    assert (
        client.post(
            "/calendar/", {"date": "22.04.2026", "is_working": "0", "reason": "x"}
        ).status_code
        == 403
    )
    assert client.post(f"/calendar/{override.pk}/delete/").status_code == 403


def test_calendar_of_another_region_is_not_found(cast, client_for) -> None:
    from ochag.core.tests.factories import TerritoryFactory

    other = CalendarOverride.objects.create(
        region=TerritoryFactory(level="region", name="Другая"),
        date=dt.date(2026, 5, 5),
        is_working=False,
        reason="Чужой праздник",
    )
    client = client_for(cast.coordinator)
    assert "Чужой праздник" not in client.get("/calendar/").content.decode()
    assert client.post(f"/calendar/{other.pk}/delete/").status_code == 404


def test_bad_date_keeps_input_and_explains(cast, client_for) -> None:
    response = client_for(cast.coordinator).post(
        "/calendar/", {"date": "31.02.2026", "is_working": "0", "reason": "Опечатка"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Обнаружены ошибки" in page
    assert 'value="31.02.2026"' in page and 'value="Опечатка"' in page
    assert 'aria-describedby="id_date_helptext id_date_error"' in page
