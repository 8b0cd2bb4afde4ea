"""Staff search: any part of a name in any form, dates, years, SNILS, and scope."""

from __future__ import annotations

import pytest

from ochag.conftest import Cast
from ochag.registry.models import Person
from ochag.registry.selectors import person_search
from ochag.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast: Cast) -> dict[str, Person]:
    a = cast.municipality_a
    return {
        "alexander": make_person(
            a,
            last_name="Петров",
            first_name="Александр",
            sex="M",
            patronymic="Игоревич",
            birth_year=2012,
            birth_month=7,
            birth_day=14,
            snils="112-233-445 95",
        ),
        "alexandra": make_person(
            a,
            last_name="Смирнова",
            first_name="Александра",
            patronymic="Олеговна",
            birth_year=2010,
            birth_month=1,
            birth_day=30,
        ),
        "ivanova": make_person(a, last_name="Иванова", first_name="Мария"),
        "other": make_person(
            a,
            last_name="Кузнецов",
            first_name="Олег",
            sex="M",
            patronymic="Ильич",
            birth_year=1985,
            birth_month=None,
            birth_day=None,
        ),
        "b_ivanova": make_person(cast.municipality_b, last_name="Иванова", first_name="Анна"),
    }


def _found(cast: Cast, text: str, user: str = "worker_a") -> set[int]:
    return {h.person.pk for h in person_search(user=getattr(cast, user), text=text).hits}


@pytest.mark.parametrize(("text", "expected"), [
    ("Саша", {"alexander", "alexandra"}),
    ("саша петров", {"alexander"}),
    ("Ivanova", {"ivanova"}),
    ("IVANOVA maria", {"ivanova"}),
    ("Ивановой", {"ivanova"}),
    ("Петрову Александру Игоревичу", {"alexander"}),
    ("у Ивановой Марии Сергеевны", {"ivanova"}),
    ("Смирновой Александры Олеговны", {"alexandra"}),
    ("Петров А. И.", {"alexander"}),
    ("Олеговна", {"alexandra"}),
    ("2012", {"alexander"}),
    ("1985", {"other"}),
    ("14.07.2012", {"alexander"}),
    ("Кузнецов 05.06.1985", {"other"}),
    ("112-233-445 95", {"alexander"}),
    ("11223344595", {"alexander"}),
])  # fmt: skip
def test_search_finds(cast: Cast, people: dict[str, Person], text: str, expected: set[str]) -> None:
    assert _found(cast, text) == {people[k].pk for k in expected}


def test_results_carry_explanation_and_rank(cast: Cast, people: dict[str, Person]) -> None:
    outcome = person_search(user=cast.worker_a, text="Саша Петров 2012")
    hit = outcome.hits[0]
    assert hit.person == people["alexander"]
    fields = {e.field: e for e in hit.explanation}
    assert fields["first_name"].weight > 0 and fields["last_name"].weight > 0


def test_scope_worker_b_never_sees_a(cast: Cast, people: dict[str, Person]) -> None:
    assert _found(cast, "Иванова", "worker_b") == {people["b_ivanova"].pk}
    assert _found(cast, "Иванова", "coordinator") == {people["ivanova"].pk, people["b_ivanova"].pk}
    assert _found(cast, "Иванова", "analyst") == set()


def test_unparsable_and_merged_records(cast: Cast, people: dict[str, Person]) -> None:
    outcome = person_search(user=cast.worker_a, text="?? 123")
    assert not outcome.understood and outcome.hits == []
    assert person_search(user=cast.worker_a, text="у А.").hits == []
    Person.objects.filter(pk=people["ivanova"].pk).update(merged_into=people["alexandra"])
    assert _found(cast, "Иванова") == set()


@pytest.mark.parametrize(("text", "expected"), [
    # a space typed inside a word: the fragments meet no key, joined they do
    ("Петр ов Александр", {"alexander"}),
    ("Смир нова Александра", {"alexandra"}),
    # two words misspelt, anchored on the full birth date
    ("Пктров Алксндрр Игорвич 14.07.2012", {"alexander"}),
    # two words misspelt without a date, anchored on the surname
    ("Смирнова Алксанра Олгвна", {"alexandra"}),
    # the first name missing (another in its place): father's name and date find the person
    ("Петров Борис Игорвич 14.07.2012", {"alexander"}),
])  # fmt: skip
def test_search_repairs_a_failed_query(
    cast: Cast, people: dict[str, Person], text: str, expected: set[str]
) -> None:
    assert {people[k].pk for k in expected} <= _found(cast, text)
