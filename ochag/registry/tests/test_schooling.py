"""A child's school or kindergarten: recorded from the card with an audit entry, one current
place per kind, the screens closed to outsiders (404), read-only staff (403) and anonymous
visitors (login)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import AgencyType, User
from ochag.access.tests.factories import AgencyFactory
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.registry.models import Membership, RegistryAction, Schooling
from ochag.registry.tests.factories import HouseholdFactory, make_person, reader_in

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def test_school_recorded_from_the_card_and_the_old_one_left(
    cast: Cast, client_for: ClientFor
) -> None:
    school = AgencyFactory(name="МБОУ СОШ № 3", type=AgencyType.EDUCATION,
                           territory=cast.municipality_a)  # fmt: skip
    child = make_person(cast.municipality_a, first_name="Мария", birth_year=2015)
    card = reverse("registry:person_detail", args=[child.pk])
    add = reverse("registry:schooling_add", args=[child.pk])
    client = client_for(cast.worker_a)
    page = client.get(card).content.decode()
    assert "Школа или детский сад" in page and "не указаны" in page

    form = client.get(add).content.decode()
    assert "МБОУ СОШ № 3" in form
    refused = client.post(add, {"kind": "school", "agency": "", "name": "", "group": "2 «А»"})
    assert refused.status_code == 200
    assert "Выберите школу из списка или напишите её название" in refused.content.decode()
    assert 'value="2 «А»"' in refused.content.decode()  # nothing typed is lost

    client.post(add, {"kind": "school", "name": "Гимназия № 1", "since": "01.09.2022"})
    assert client.post(add, {"kind": "school", "agency": school.pk, "group": "5 «Б»",
                             "since": "01.09.2026"}).status_code == 302  # fmt: skip
    old, new = (Schooling.objects.get(name="Гимназия № 1"),
                Schooling.objects.get(agency=school))  # fmt: skip
    assert old.until == dt.date(2026, 9, 1) and new.until is None
    page = client.get(card).content.decode()
    assert page.index("МБОУ СОШ № 3") < page.index("Гимназия № 1")  # the current one first
    assert "5 «Б»" in page and "с 01.09.2026" in page
    assert AuditEvent.objects.filter(action=RegistryAction.SCHOOLING_ADDED).count() == 2
    assert AuditEvent.objects.filter(action=RegistryAction.SCHOOLING_ENDED).count() == 1

    left = reverse("registry:schooling_end", args=[child.pk, new.pk])
    assert client.post(left).status_code == 302
    new.refresh_from_db()
    assert new.until == timezone.localdate()
    assert client.get(left).status_code == 405


def test_schooling_screens_closed_to_outsiders_readers_and_anonymous(
    cast: Cast, client_for: ClientFor
) -> None:
    child = make_person(cast.municipality_a, first_name="Мария", birth_year=2015)
    row = Schooling.objects.create(person=child, kind="school", name="Гимназия № 1")
    add = reverse("registry:schooling_add", args=[child.pk])
    left = reverse("registry:schooling_end", args=[child.pk, row.pk])
    # The school reported the child's family: it sees the child (need-to-know), changes nothing.
    home = HouseholdFactory(territory=cast.municipality_a)
    Membership.objects.create(household=home, person=child, role="child")
    outsider = client_for(cast.worker_b)
    reader = client_for(reader_in(cast.municipality_a, about=home))
    assert outsider.get(add).status_code == 404
    assert outsider.post(left).status_code == 404
    assert reader.get(add).status_code == 403
    assert reader.post(left).status_code == 403
    assert "Гимназия № 1" in reader.get(reverse("registry:person_detail", args=[child.pk])
                                        ).content.decode()  # fmt: skip
    for url in (add, left):
        response = Client().get(url) if url == add else Client().post(url)
        assert response.status_code == 302 and "login" in response["Location"]
    other = make_person(cast.municipality_a, first_name="Олег", birth_year=2014)
    wrong = reverse("registry:schooling_end", args=[other.pk, row.pk])
    assert client_for(cast.worker_a).post(wrong).status_code == 404
    row.refresh_from_db()
    assert row.until is None
