"""Former surnames from the person card (issue 19 §4): shown, recorded with an audit entry,
found by search; the screen closed to outsiders (404), read-only staff (403) and anonymous
visitors (login)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.registry import vocabulary
from ochag.registry.models import Membership, PersonFormerName, RegistryAction
from ochag.registry.selectors import person_search
from ochag.registry.tests.factories import HouseholdFactory, make_person, reader_in

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def test_former_surname_recorded_from_the_card_and_found(cast: Cast, client_for: ClientFor) -> None:
    vocabulary.forget()
    person = make_person(cast.municipality_a, last_name="Дорохова", first_name="Валентина",
                         patronymic="Павловна", birth_year=1990)  # fmt: skip
    card = reverse("registry:person_detail", args=[person.pk])
    add = reverse("registry:former_name_add", args=[person.pk])
    client = client_for(cast.worker_a)
    page = client.get(card).content.decode()
    assert "Прежние фамилии" in page and "Записать прежнюю фамилию" in page
    assert not person_search(user=cast.worker_a, text="Белова").hits

    refused = client.post(add, {"last_name": "", "changed_on": "01.06.2020"})
    assert refused.status_code == 200
    assert 'value="01.06.2020"' in refused.content.decode()  # nothing typed is lost
    bad_date = client.post(add, {"last_name": "Белова", "changed_on": "31.02.2020"})
    assert bad_date.status_code == 200 and 'value="Белова"' in bad_date.content.decode()
    assert not PersonFormerName.objects.exists()

    done = client.post(add, {"last_name": "Белова", "changed_on": "01.06.2020"})
    assert done.status_code == 302
    former = PersonFormerName.objects.get(person=person)
    assert (former.last_name, former.changed_on) == ("Белова", dt.date(2020, 6, 1))
    assert AuditEvent.objects.filter(action=RegistryAction.FORMER_NAME_ADDED,
                                     object_id=str(person.pk)).count() == 1  # fmt: skip
    page = client.get(card).content.decode()
    assert "Белова (до 01.06.2020)" in page
    for text in ("Белова", "Белова Валентина"):
        found = person_search(user=cast.worker_a, text=text).hits
        assert found and found[0].person.pk == person.pk


def test_former_name_screen_closed_to_outsiders_readers_and_anonymous(
    cast: Cast, client_for: ClientFor
) -> None:
    person = make_person(cast.municipality_a, first_name="Мария", birth_year=2015)
    home = HouseholdFactory(territory=cast.municipality_a)
    Membership.objects.create(household=home, person=person, role="child")
    add = reverse("registry:former_name_add", args=[person.pk])
    assert client_for(cast.worker_b).get(add).status_code == 404
    assert client_for(cast.worker_b).post(add, {"last_name": "Белова"}).status_code == 404
    reader = client_for(reader_in(cast.municipality_a, about=home))
    assert reader.get(add).status_code == 403
    assert reader.post(add, {"last_name": "Белова"}).status_code == 403
    card = reader.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "Прежние фамилии" in card and "Записать прежнюю фамилию" not in card
    response = Client().get(add)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not PersonFormerName.objects.exists()
