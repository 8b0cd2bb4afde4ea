"""The person card and household page show only what the viewer may see; households have an
edit screen with audit; every registry page makes as many queries for many rows as for few."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ochag.access.models import User
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.registry.models import (
    DuplicateCandidate,
    Household,
    Membership,
    Person,
    RegistryAction,
    Relationship,
)
from ochag.registry.services import person_merge
from ochag.registry.tests.factories import HouseholdFactory, make_person, reader_in

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def test_person_card_hides_relatives_and_households_outside_the_viewers_territory(
    cast: Cast, client_for: ClientFor
) -> None:
    child = make_person(cast.municipality_a, first_name="Мария")
    father = make_person(cast.municipality_b, last_name="Дальний", first_name="Пётр", sex="M",
                         patronymic="Ильич", birth_year=1980)  # fmt: skip
    aunt = make_person(cast.municipality_b, last_name="Тёткина", first_name="Вера", birth_year=1975)
    Relationship.objects.create(person=father, kind="father", relative_of=child)
    Relationship.objects.create(person=child, kind="relative", relative_of=aunt)
    home_a = HouseholdFactory(territory=cast.municipality_a, name="Ивановы")
    home_b = HouseholdFactory(territory=cast.municipality_b, name="Дальние", address="Заречная, 9")
    Membership.objects.create(household=home_a, person=child, role="child")
    Membership.objects.create(household=home_b, person=child, role="child")
    Membership.objects.create(household=home_a, person=father, role="parent")

    url = reverse("registry:person_detail", args=[child.pk])
    page = client_for(cast.worker_a).get(url).content.decode()
    assert "Ивановы" in page
    for hidden in ("Дальний", "Тёткина", "Дальние", "Заречная"):
        assert hidden not in page, hidden
    home_page = client_for(cast.worker_a).get(
        reverse("registry:household_detail", args=[home_a.pk])
    )
    assert "Дальний" not in home_page.content.decode()

    regional = client_for(cast.coordinator).get(url).content.decode()
    for shown in ("Ивановы", "Дальний", "Тёткина", "Дальние", "Заречная"):
        assert shown in regional, shown


def test_household_edit_with_audit_conflict_and_access(cast: Cast, client_for: ClientFor) -> None:
    home = HouseholdFactory(territory=cast.municipality_a, name="Ивановы", address="Лесная, 1")
    url = reverse("registry:household_edit", args=[home.pk])
    client = client_for(cast.worker_a)
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Ивановы-Петровы", "territory": cast.municipality_a.pk,
                                 "address": "Лесная, 3", "version": home.version})  # fmt: skip
    assert response.status_code == 302
    home.refresh_from_db()
    assert (home.name, home.address, home.version) == ("Ивановы-Петровы", "Лесная, 3", 2)
    event = AuditEvent.objects.get(action=RegistryAction.HOUSEHOLD_UPDATED)
    assert event.detail["changes"]["address"] == ["Лесная, 1", "Лесная, 3"]

    stale = client.post(url, {"name": "Другие", "territory": cast.municipality_a.pk,
                              "address": "", "version": 1})  # fmt: skip
    assert stale.status_code == 200 and "Другие" in stale.content.decode()
    assert Household.objects.get(pk=home.pk).name == "Ивановы-Петровы"

    assert client_for(cast.worker_b).get(url).status_code == 404
    reader = client_for(reader_in(cast.municipality_a, about=home))
    assert reader.get(url).status_code == 403
    assert reader.post(url, {}).status_code == 403


# ------------------------------------------------------------------ query counts
def _grow(cast: Cast, child: Person, home: Household, n: int) -> None:
    """n more of every kind of row a registry page lists."""
    for i in range(n):
        relative = make_person(cast.municipality_a, last_name="Родных", first_name=f"Анна{i}",
                               birth_year=1960 + i)  # fmt: skip
        Relationship.objects.create(person=relative, kind="relative", relative_of=child)
        Membership.objects.create(household=home, person=relative, role="relative")
        other = HouseholdFactory(territory=cast.municipality_a, name=f"Дом {i}")
        Membership.objects.create(household=other, person=child, role="child")
        twin = make_person(cast.municipality_a, first_name="Мария", birth_year=2015,
                           address=f"Дом {i}")  # fmt: skip
        DuplicateCandidate.objects.create(person_a=child, person_b=twin, probability=0.9)
        gone = make_person(cast.municipality_a, first_name="Маша", birth_day=5)
        person_merge(actor=cast.admin, kept=child, merged=gone)


def _counts(client: Client, urls: list[str]) -> dict[str, int]:
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        counts[url] = len(ctx.captured_queries)
    return counts


def test_query_count_of_every_registry_page_does_not_grow_with_its_rows(
    cast: Cast, client_for: ClientFor
) -> None:
    child = make_person(cast.municipality_a, first_name="Мария", birth_day=5)
    home = HouseholdFactory(territory=cast.municipality_a, name="Ивановы")
    Membership.objects.create(household=home, person=child, role="child")
    _grow(cast, child, home, 1)
    pair = DuplicateCandidate.objects.first()
    record = child.merges_kept.first()
    assert pair is not None and record is not None
    urls = [
        reverse("registry:search") + "?q=Иванова",
        reverse("registry:person_detail", args=[child.pk]),
        reverse("registry:household_detail", args=[home.pk]),
        reverse("registry:household_edit", args=[home.pk]),
        reverse("registry:duplicate_list"),
        reverse("registry:duplicate_compare", args=[pair.pk]),
        reverse("registry:merge_list"),
        reverse("registry:merge_detail", args=[record.pk]),
    ]
    client = client_for(cast.coordinator)
    _counts(client, urls)  # warm caches (configuration, translations)
    few = _counts(client, urls)
    _grow(cast, child, home, 4)
    many = _counts(client, urls)
    assert many == few
