"""Every registry screen with the permission cast, bad input and malformed ids."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.conftest import Cast
from ochag.core.models import AccessLogEntry, AuditEvent
from ochag.registry.models import (
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    Membership,
    MergeRecord,
    Person,
    RegistryAction,
    Relationship,
)
from ochag.registry.tests.factories import HouseholdFactory, make_person, reader_in

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


@pytest.fixture
def world(cast: Cast) -> dict[str, object]:
    a = cast.municipality_a
    child = make_person(a, first_name="Мария")
    dup = make_person(a, first_name="Маша")
    mother = make_person(a, first_name="Ольга", birth_year=1988, birth_month=None, birth_day=None)
    home = HouseholdFactory(territory=a)
    Membership.objects.create(household=home, person=child, role="child")
    Membership.objects.create(household=home, person=mother, role="parent")
    rel = Relationship.objects.create(person=mother, kind="mother", relative_of=child)
    pair = DuplicateCandidate.objects.create(
        person_a=child, person_b=dup, probability=0.93, explanation=[], conflicts=[]
    )
    return {"child": child, "dup": dup, "mother": mother, "home": home, "rel": rel, "pair": pair}


def _urls(w: dict[str, object]) -> list[str]:
    child, home, pair = w["child"], w["home"], w["pair"]
    return [
        reverse("registry:search") + "?q=Иванова",
        reverse("registry:person_detail", args=[child.pk]),  # type: ignore[attr-defined]
        reverse("registry:person_edit", args=[child.pk]),  # type: ignore[attr-defined]
        reverse("registry:person_create"),
        reverse("registry:household_detail", args=[home.pk]),  # type: ignore[attr-defined]
        reverse("registry:duplicate_list"),
        reverse("registry:duplicate_compare", args=[pair.pk]),  # type: ignore[attr-defined]
        reverse("registry:merge_list"),
    ]


def test_anonymous_redirected_to_login(world: dict[str, object]) -> None:
    for url in _urls(world):
        response = Client().get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_worker_a_sees_every_screen(
    cast: Cast, client_for: ClientFor, world: dict[str, object]
) -> None:
    client = client_for(cast.worker_a)
    for url in _urls(world):
        assert client.get(url).status_code == 200, url


def test_outsider_gets_404(cast: Cast, client_for: ClientFor, world: dict[str, object]) -> None:
    client = client_for(cast.worker_b)
    child, home, pair = world["child"], world["home"], world["pair"]
    for url in [
        reverse("registry:person_detail", args=[child.pk]),  # type: ignore[attr-defined]
        reverse("registry:person_edit", args=[child.pk]),  # type: ignore[attr-defined]
        reverse("registry:household_detail", args=[home.pk]),  # type: ignore[attr-defined]
        reverse("registry:duplicate_compare", args=[pair.pk]),  # type: ignore[attr-defined]
    ]:
        assert client.get(url).status_code == 404, url
    page = client.get(reverse("registry:search") + "?q=Иванова")
    assert "Мария" not in page.content.decode()


def test_analyst_sees_no_names(cast: Cast, client_for: ClientFor, world: dict[str, object]) -> None:
    client = client_for(cast.analyst)
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "Иванова" not in response.content.decode()
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("registry:search") not in home


def test_read_only_user_gets_403_on_writes(
    cast: Cast, client_for: ClientFor, world: dict[str, object]
) -> None:
    child, home, rel = world["child"], world["home"], world["rel"]
    client = client_for(reader_in(cast.municipality_a, about=home))  # type: ignore[arg-type]
    assert client.get(reverse("registry:person_detail", args=[child.pk])).status_code == 200  # type: ignore[attr-defined]
    assert client.get(reverse("registry:person_edit", args=[child.pk])).status_code == 403  # type: ignore[attr-defined]
    assert client.get(reverse("registry:person_create")).status_code == 403
    assert (
        client.post(
            reverse("registry:member_add", args=[home.pk]),  # type: ignore[attr-defined]
            {"person": child.pk, "role": "child"},
        ).status_code
        == 403
    )  # type: ignore[attr-defined]
    assert (
        client.post(
            reverse("registry:relationship_remove", args=[home.pk, rel.pk])  # type: ignore[attr-defined]
        ).status_code
        == 403
    )
    pair = world["pair"]
    # The pair's second record is no one the school works with: the pair does not exist for it.
    assert client.post(reverse("registry:duplicate_dismiss", args=[pair.pk])).status_code == 404  # type: ignore[attr-defined]
    # a worker without supervision may review but not merge
    worker = client_for(cast.worker_a)
    assert worker.post(reverse("registry:duplicate_compare", args=[pair.pk])).status_code == 403  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "url",
    [
        "/registry/persons/abc/",
        "/registry/persons/999999/",
        "/registry/persons/1.5/edit/",
        "/registry/households/x/",
        "/registry/duplicates/%27/",
        "/registry/merges/-1/",
    ],
)
def test_malformed_ids_404(cast: Cast, client_for: ClientFor, url: str) -> None:
    assert client_for(cast.worker_a).get(url).status_code == 404


def test_search_logs_and_detail_logs_access(
    cast: Cast, client_for: ClientFor, world: dict[str, object]
) -> None:
    client = client_for(cast.worker_a)
    page = client.get(reverse("registry:search"), {"q": "Маша Иванова 05.03.2015"})
    body = page.content.decode()
    assert "Иванова Мария Сергеевна" in body and "Почему найдено" in body  # Russian UI
    # A probability people read (issue 13 §3), never the engine's raw weight.
    assert re.search(r"Почему найдено \(совпадение \d{1,2}(,\d{1,2})? %\)", body)
    assert AuditEvent.objects.filter(action=RegistryAction.PERSON_SEARCHED).count() == 1
    child = world["child"]
    client.get(reverse("registry:person_detail", args=[child.pk]))  # type: ignore[attr-defined]
    assert AccessLogEntry.objects.filter(object_id=str(child.pk), actor=cast.worker_a).exists()  # type: ignore[attr-defined]


def test_create_checks_registry_first(
    cast: Cast, client_for: ClientFor, world: dict[str, object]
) -> None:
    client = client_for(cast.worker_a)
    data = {
        "last_name": "Иванова",
        "first_name": "Маша",
        "patronymic": "Сергеевна",
        "birth": "05.03.2015",
        "territory": cast.municipality_a.pk,
        "citizenship": "RUS",
    }
    page = client.post(reverse("registry:person_create"), data | {"action": "check"})
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("registry:person_detail", args=[world["child"].pk]) in body  # type: ignore[attr-defined]
    # A probability people read: «99,99 %» at most, never «100%».
    assert re.search(r"Вероятность[^<]*: \d{1,2}(,\d{1,2})? %", body) and "100%" not in body
    count = Person.objects.count()
    new = {
        "last_name": "Сидорова",
        "first_name": "Ксения",
        "birth": "2016",
        "territory": cast.municipality_a.pk,
    }
    response = client.post(reverse("registry:person_create"), new | {"action": "create"})
    assert response.status_code == 302 and Person.objects.count() == count + 1
    created = Person.objects.get(last_name="Сидорова")
    assert created.birth_year == 2016 and created.birth_month is None


def test_bad_input_shows_russian_errors_and_keeps_values(cast: Cast, client_for: ClientFor) -> None:
    client = client_for(cast.worker_a)
    page = client.post(
        reverse("registry:person_create"),
        {
            "last_name": "Петров",
            "first_name": "",
            "birth": "31.02.2015",
            "snils": "112-233-445 96",
            "territory": cast.municipality_a.pk,
            "action": "check",
        },
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Обнаружены ошибки" in body or "Есть проблема" in body or "error-summary" in body
    assert "контрольн" in body.lower() or "СНИЛС" in body
    assert 'value="Петров"' in body and 'value="31.02.2015"' in body


def test_edit_with_stale_version_is_refused(
    cast: Cast, client_for: ClientFor, world: dict[str, object]
) -> None:
    client = client_for(cast.worker_a)
    child: Person = world["child"]  # type: ignore[assignment]
    url = reverse("registry:person_edit", args=[child.pk])
    data = {
        "last_name": "Иванова",
        "first_name": "Мария",
        "patronymic": "Сергеевна",
        "birth": "05.03.2015",
        "territory": cast.municipality_a.pk,
        "version": 1,
    }
    assert client.post(url, data | {"address": "ул. Новая"}).status_code == 302
    page = client.post(url, data | {"address": "ул. Старая"})
    assert page.status_code == 200 and "ул. Старая" in page.content.decode()
    child.refresh_from_db()
    assert child.address == "ул. Новая" and child.version == 2


def test_a_refused_edit_is_bound_to_the_saved_version(
    cast: Cast, client_for: ClientFor, world: dict[str, object]
) -> None:
    """After a conflict the form carries the version saved now, so saving it again is a
    deliberate choice that goes through (core.form_views.versioned_submit)."""
    client = client_for(cast.worker_a)
    child: Person = world["child"]  # type: ignore[assignment]
    url = reverse("registry:person_edit", args=[child.pk])
    data = {"last_name": "Иванова", "first_name": "Мария", "patronymic": "Сергеевна",
            "birth": "05.03.2015", "territory": cast.municipality_a.pk, "version": 1}  # fmt: skip
    assert client.post(url, data | {"address": "ул. Новая"}).status_code == 302
    page = client.post(url, data | {"address": "ул. Старая"}).content.decode()
    assert "её изменил кто-то другой" in page and "ул. Старая" in page
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version is not None and version.group(1) == "2"
    again = client.post(url, data | {"address": "ул. Старая", "version": version.group(1)})
    assert again.status_code == 302
    child.refresh_from_db()
    assert child.address == "ул. Старая" and child.version == 3


def test_household_flow(cast: Cast, client_for: ClientFor, world: dict[str, object]) -> None:
    client = client_for(cast.worker_a)
    child: Person = world["child"]  # type: ignore[assignment]
    response = client.post(
        reverse("registry:household_create"),
        {
            "person": child.pk,
            "name": "Ивановы",
            "territory": cast.municipality_a.pk,
            "address": "ул. Лесная, 3",
            "role": "child",
        },
    )
    home = Household.objects.get(address="ул. Лесная, 3")
    assert response.status_code == 302 and home.memberships.filter(person=child).exists()
    mother: Person = world["mother"]  # type: ignore[assignment]
    page = client.get(reverse("registry:household_detail", args=[home.pk]), {"q": "Ольга"})
    assert mother.full_name in page.content.decode()
    client.post(
        reverse("registry:member_add", args=[home.pk]), {"person": mother.pk, "role": "parent"}
    )
    client.post(
        reverse("registry:relationship_add", args=[home.pk]),
        {"person": mother.pk, "kind": "mother", "relative_of": child.pk},
    )
    assert Relationship.objects.filter(person=mother, relative_of=child).count() == 1
    bad = client.post(
        reverse("registry:relationship_add", args=[home.pk]),
        {"person": mother.pk, "kind": "mother", "relative_of": mother.pk},
    )
    assert bad.status_code == 302
    member = home.memberships.get(person=mother)
    client.post(reverse("registry:member_remove", args=[home.pk, member.pk]))
    assert not home.memberships.filter(person=mother).exists()
    outsider = client_for(cast.worker_b)
    assert (
        outsider.post(
            reverse("registry:member_add", args=[home.pk]), {"person": mother.pk, "role": "parent"}
        ).status_code
        == 404
    )


def test_compare_merge_unmerge_and_dismiss(
    cast: Cast, client_for: ClientFor, world: dict[str, object]
) -> None:
    client = client_for(cast.supervisor_a)
    pair: DuplicateCandidate = world["pair"]  # type: ignore[assignment]
    url = reverse("registry:duplicate_compare", args=[pair.pk])
    page = client.get(url)
    assert "Маша" in page.content.decode()
    response = client.post(url, {"pick_first_name": "kept", "reason": "одна девочка"})
    assert response.status_code == 302
    record = MergeRecord.objects.get()
    assert Person.objects.get(pk=world["dup"].pk).merged_into_id == world["child"].pk  # type: ignore[attr-defined]
    assert client.get(reverse("registry:merge_list")).status_code == 200
    response = client.post(reverse("registry:merge_detail", args=[record.pk]), {"reason": "ошибка"})
    assert response.status_code == 302
    assert Person.objects.get(pk=world["dup"].pk).merged_into_id is None  # type: ignore[attr-defined]
    assert client.post(reverse("registry:duplicate_dismiss", args=[pair.pk])).status_code == 302
    assert DuplicateCandidate.objects.get(pk=pair.pk).status == DuplicateStatus.DISMISSED
    queue = client.get(reverse("registry:duplicate_list")).content.decode()
    assert "Маша" not in queue
