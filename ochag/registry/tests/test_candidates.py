"""The registry's public face for linking reported people (ochag.registry.candidates)."""

from __future__ import annotations

import datetime as dt

from ochag.conftest import Cast
from ochag.core.models import Territory
from ochag.factories import TerritoryFactory
from ochag.registry import candidates
from ochag.registry.models import Membership, Person
from ochag.registry.services import (
    PersonData,
    household_create,
    membership_add,
    person_create,
)


def test_the_candidate_block_finds_partial_dates_and_keeps_to_the_region(cast: Cast) -> None:
    def person(last: str, first: str, territory, **birth) -> Person:
        data = PersonData(territory=territory, last_name=last, first_name=first, **birth)
        return person_create(actor=None, data=data)

    month_only = person("Соколова", "Мария", cast.municipality_a, birth_year=2015, birth_month=3)
    by_surname = person("Соколова", "Анна", cast.municipality_b, birth_year=2015, birth_month=3,
                        birth_day=8)  # fmt: skip
    merged = person("Соколова", "Мария", cast.municipality_a, birth_year=2015, birth_month=3,
                    birth_day=8)  # fmt: skip
    Person.objects.filter(pk=merged.pk).update(merged_into=month_only)
    elsewhere = TerritoryFactory.create(
        name="Город другого региона",
        parent=TerritoryFactory.create(name="Другая область", level=Territory.Level.REGION),
    )
    other_region = person("Соколова", "Мария", elsewhere, birth_year=2015, birth_month=3,
                          birth_day=8)  # fmt: skip
    other_day = person("Соколова", "Мария", cast.municipality_a, birth_year=2015, birth_month=3,
                       birth_day=9)  # fmt: skip
    scope = [cast.municipality_a.pk, cast.municipality_b.pk]
    linker = candidates.Linker(candidates.search_scope(scope), scope)
    linker.prefetch([candidates.query_record("Соколова", "Маша", "", "2015-03-08", "", 0)])
    found = {int(record_id) for record_id in linker.known}
    assert {month_only.pk, by_surname.pk} <= found
    assert not found & {merged.pk, other_region.pk, other_day.pk}


def test_a_like_pattern_escapes_its_wildcards() -> None:
    assert candidates._like_contains("a%b_c\\d") == "%a\\%b\\_c\\\\d%"


def test_current_households_prefer_the_role_then_the_oldest_and_skip_ended(cast: Cast) -> None:
    child = person_create(actor=None, data=PersonData(
        territory=cast.municipality_a, last_name="Орлова", first_name="Вера"))  # fmt: skip
    moved_out = person_create(actor=None, data=PersonData(
        territory=cast.municipality_a, last_name="Орлов", first_name="Иван"))  # fmt: skip
    home = household_create(actor=cast.worker_a, territory=cast.municipality_a, name="Орловы")
    grandparents = household_create(actor=cast.worker_a, territory=cast.municipality_a,
                                    name="Бабушка")  # fmt: skip
    membership_add(actor=cast.worker_a, household=grandparents, person=child, role="other")
    membership_add(actor=cast.worker_a, household=home, person=child, role="child")
    left = membership_add(actor=cast.worker_a, household=home, person=moved_out, role="parent")
    Membership.objects.filter(pk=left.pk).update(until=dt.date(2024, 1, 1))
    found = candidates.current_households([child.pk, moved_out.pk])
    assert {person: r.household_id for person, r in found.items()} == {child.pk: home.pk}
