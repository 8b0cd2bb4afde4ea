"""Values people read (issue 13 §3) on the registry's pages: SNILS grouped, citizenship by
name, ages in years and months, an infant's in months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.conftest import Cast
from ochag.registry.display import age_text, citizenship_text, field_text, snils_text
from ochag.registry.models import DuplicateCandidate, Person
from ochag.registry.tests.factories import make_person

TODAY = dt.date(2026, 12, 3)


def test_snils_and_citizenship_as_people_read_them() -> None:
    assert snils_text("11223344595") == "112-233-445 95"
    assert snils_text("12345") == "12345"
    assert citizenship_text("RUS") == "Россия"
    assert citizenship_text("лицо без гражданства") == "лицо без гражданства"
    assert field_text("snils", "") == ""


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        ((2026, 1, 10), "10 мес."),
        ((2026, 11, 3), "1 мес."),
        ((2021, 9, 1), "5 лет 3 мес."),
        ((2024, 12, 3), "2 года"),
        ((1990, 5, 1), "36 лет"),
        ((2015, None, None), "11 лет"),
    ],
)
def test_ages_in_years_and_months(birth: tuple[int, int | None, int | None], expected: str) -> None:
    person = Person(birth_year=birth[0], birth_month=birth[1], birth_day=birth[2])
    assert age_text(person, TODAY) == expected


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), tick=False)
def test_person_card_and_comparison_show_readable_values(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    baby = make_person(cast.municipality_a, birth_year=2026, birth_month=1, birth_day=10,
                       snils="112-233-445 95")  # fmt: skip
    other = make_person(cast.municipality_a, first_name="Маша", birth_year=2026, birth_month=1,
                        birth_day=10)  # fmt: skip
    client = client_for(cast.supervisor_a)
    card = client.get(reverse("registry:person_detail", args=[baby.pk])).content.decode()
    assert "112-233-445 95" in card and "Россия" in card and "10 мес." in card
    assert "RUS" not in card
    pair = DuplicateCandidate.objects.create(person_a=baby, person_b=other, probability=0.9)
    page = client.get(reverse("registry:duplicate_compare", args=[pair.pk])).content.decode()
    assert "112-233-445 95" in page and "Россия" in page and "10.01.2026" in page
