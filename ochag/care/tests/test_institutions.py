"""The register of institutions: remoteness, visits, incidents, the board line, every page's
access (anonymous → login, outsider 404, read-only 403) and flat query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import count

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import User
from ochag.care import selectors
from ochag.care.models import Incident, IncidentKind, Institution, InstitutionType, MonthlyCost
from ochag.care.services import institutions
from ochag.care.tests.conftest import CareCast
from ochag.care.worklist import lines
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.core.testing import assert_queries_flat

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]
_numbers = count()


def test_remoteness_follows_the_regional_threshold(cast: Cast, care: CareCast) -> None:
    assert care.shelter.is_remote and not care.home.is_remote
    institutions.care_settings_save(actor=cast.coordinator, region=cast.region, remote_km=5)
    care.home.refresh_from_db()
    assert care.home.is_remote  # 10 km is remote once the region says 5 km is
    assert AuditEvent.objects.filter(action="care_settings_saved").exists()


def test_settings_and_costs_are_saved_together_or_not_at_all(cast: Cast, care: CareCast) -> None:
    """The thresholds and the child-month costs are one service call in one transaction: a
    refused threshold leaves the costs as they were (the view used to make the two calls)."""
    from decimal import Decimal

    with pytest.raises(ValidationError):
        institutions.care_settings_save(actor=cast.coordinator, region=cast.region,
                                        costs={"orphanage": Decimal(98000)},
                                        visit_period_days=-1)  # fmt: skip
    assert not MonthlyCost.objects.filter(region=cast.region).exists()
    institutions.care_settings_save(actor=cast.coordinator, region=cast.region,
                                    costs={"orphanage": Decimal(98000)})  # fmt: skip
    assert MonthlyCost.objects.get(region=cast.region, type="orphanage").per_child_month == 98000
    saved = AuditEvent.objects.filter(action="care_settings_saved").count()
    institutions.care_settings_save(actor=cast.coordinator, region=cast.region,
                                    costs={"orphanage": Decimal(98000)})  # fmt: skip
    assert AuditEvent.objects.filter(action="care_settings_saved").count() == saved + 1


def test_unvisited_lists_remote_first_and_a_visit_clears_it(cast: Cast, care: CareCast) -> None:
    today = timezone.localdate()
    rows = Institution.objects.all()
    assert list(selectors.unvisited(rows, today, 90)) == [care.shelter, care.home]
    institutions.visit_record(
        actor=cast.worker_a,
        institution=care.shelter,
        visited_on=today - dt.timedelta(days=3),
        announced=False,
        findings="Замечаний нет",
    )
    # An older visit recorded later does not move the last visit back.
    institutions.visit_record(
        actor=cast.worker_a,
        institution=care.shelter,
        visited_on=today - dt.timedelta(days=300),
        announced=True,
        findings="Старый визит",
    )
    care.shelter.refresh_from_db()
    assert care.shelter.last_visit_on == today - dt.timedelta(days=3)
    assert list(selectors.unvisited(rows, today, 90)) == [care.home]
    with pytest.raises(ValidationError, match="visited_on"):
        institutions.visit_record(
            actor=cast.worker_a,
            institution=care.home,
            visited_on=today + dt.timedelta(days=1),
            announced=True,
            findings="x",
        )


def test_incident_follow_up_due_in_working_days_across_holidays(cast: Cast, care: CareCast) -> None:
    # Recorded on 30.12.2026: the New Year holidays run to 11.01.2027 (production calendar).
    moment = dt.datetime(2026, 12, 30, 10, tzinfo=dt.UTC)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: moment)
        incident = institutions.incident_record(
            actor=care.staff,
            institution=care.home,
            kind=IncidentKind.RUNAWAY,
            occurred_on=dt.date(2026, 12, 29),
            description="Ушёл ночью",
            follow_up="Проверка",
            follow_up_agency=cast.agency_a,
            follow_up_days=2,
        )
    assert incident.due_on > dt.date(2027, 1, 8)
    institutions.incident_follow_up_done(actor=care.staff, incident=incident)
    assert Incident.objects.get(pk=incident.pk).done_on is not None


def test_coordinators_board_names_unvisited_remote_first(cast: Cast, care: CareCast) -> None:
    (line,) = lines(cast.coordinator)
    assert line.count == 2 and line.items[0].label == "Приют «Маяк»"
    assert lines(cast.worker_a) == []


def test_anonymous_goes_to_login(care: CareCast) -> None:
    response = Client().get(reverse("care:institutions"))
    assert response.status_code == 302 and "/account/login" in response["Location"]


def test_register_pages(cast: Cast, care: CareCast, client_for: Clients) -> None:
    page = client_for(cast.worker_b).get(reverse("care:institutions") + "?remote=1")
    text = page.content.decode()
    assert page.status_code == 200 and "Приют «Маяк»" in text and "ЦССВ «Надежда»" not in text
    detail = client_for(cast.worker_b).get(reverse("care:institution", args=[care.home.pk]))
    assert detail.status_code == 200 and "ЦССВ «Надежда»" in detail.content.decode()
    assert (
        client_for(care.stranger).get(reverse("care:institution", args=[care.home.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("url_name", "allowed", "read_only"),
    [
        ("institution_edit", "coordinator", "worker_a"),
        ("milestone_add", "coordinator", "worker_a"),
        ("visit_add", "worker_a", "analyst"),
        ("incident_add", "staff", "shelter_staff"),
    ],
)
def test_institution_forms_outsider_404_read_only_403(
    cast: Cast, care: CareCast, client_for: Clients, url_name: str, allowed: str, read_only: str
) -> None:
    people = {**vars(cast), **vars(care)}
    url = reverse(f"care:{url_name}", args=[care.home.pk])
    assert client_for(care.stranger).get(url).status_code == 404
    assert client_for(people[read_only]).get(url).status_code == 403
    assert client_for(people[allowed]).get(url).status_code == 200


def test_create_institution_form(cast: Cast, care: CareCast, client_for: Clients) -> None:
    url = reverse("care:institution_create")
    assert client_for(cast.worker_a).get(url).status_code == 403
    client = client_for(cast.coordinator)
    bad = client.post(url, {"name": "Дом ребёнка", "type": InstitutionType.INFANT_HOME})
    assert bad.status_code == 200 and "Дом ребёнка" in bad.content.decode()
    response = client.post(
        url,
        {
            "name": "Дом ребёнка № 3",
            "type": InstitutionType.INFANT_HOME,
            "territory": cast.municipality_b.pk,
            "operating_agency": cast.ministry.pk,
            "capacity": 30,
            "distance_km": 400,
            "travel_minutes": 500,
            "transformation_status": "none",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    made = Institution.objects.get(name="Дом ребёнка № 3")
    assert made.is_remote and made.region == cast.region


def test_visit_form_records_and_flags_clear(
    cast: Cast, care: CareCast, client_for: Clients
) -> None:
    url = reverse("care:visit_add", args=[care.shelter.pk])
    today = timezone.localdate()
    response = client_for(cast.worker_b).post(
        url, {"visited_on": today.strftime("%d.%m.%Y"), "announced": "0", "findings": "Норма"}
    )
    assert response.status_code == 302
    care.shelter.refresh_from_db()
    assert care.shelter.last_visit_on == today


def test_register_list_queries_flat(cast: Cast, care: CareCast, client_for: Clients) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            institutions.institution_save(
                actor=cast.coordinator,
                name=f"Приют {next(_numbers)}",
                type=InstitutionType.SHELTER,
                operating_agency=cast.ministry,
                territory=cast.municipality_a,
                capacity=10,
            )

    assert_queries_flat(client_for(cast.coordinator), reverse("care:institutions"), add)


def test_settings_page_sets_thresholds_and_costs(
    cast: Cast, care: CareCast, client_for: Clients
) -> None:
    url = reverse("care:settings")
    assert Client().get(url).status_code == 302
    assert client_for(cast.worker_a).get(url).status_code == 403
    assert client_for(care.stranger).get(url).status_code == 200  # their own region's
    client = client_for(cast.coordinator)
    assert client.get(url).status_code == 200
    data = {
        "remote_km": 5,
        "remote_minutes": 600,
        "visit_period_days": 30,
        "admission_review_days": 10,
        "extension_notice_days": 10,
        "family_support_month_cost": "12000",
        "legal_source": "Постановление № 88",
        "cost_orphanage": "98000",
    }
    assert client.post(url, {**data, "remote_km": "-1"}).status_code == 200
    assert client.post(url, data).status_code == 302
    care.home.refresh_from_db()
    assert care.home.is_remote
    assert MonthlyCost.objects.get(region=cast.region, type="orphanage").per_child_month == 98000
