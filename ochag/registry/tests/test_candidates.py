"""The registry's public face for linking reported people (ochag.registry.candidates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ochag.conftest import Cast
from ochag.core.models import Territory
from ochag.core.tests.factories import TerritoryFactory
from ochag.linkage import FIELDS
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


def test_intake_links_through_date_and_name_errors_the_exact_block_misses(cast: Cast) -> None:
    """Issue 19's intake examples: a day off, day and month swapped, a year off, names in
    each other's fields, a misspelt surname: each links to the registry's person."""
    from ochag.registry import vocabulary
    from ochag.registry.services import person_prepare

    vocabulary.forget()

    def person(last: str, first: str, patr: str, y: int, m: int, d: int) -> Person:
        data = PersonData(territory=cast.municipality_a, last_name=last, first_name=first,
                          patronymic=patr, birth_year=y, birth_month=m, birth_day=d)  # fmt: skip
        return person_create(actor=None, data=data)

    malkov = person("Малков", "Владимир", "Васильевич", 2018, 7, 25)
    zyukin = person("Зюкин", "Виталий", "Олегович", 1975, 8, 7)
    tselobaev = person("Целобаев", "Пётр", "Иванович", 1980, 2, 15)
    stepankov = person("Степаньков", "Анатолий", "Сергеевич", 2012, 4, 9)
    sobchenko = person("Собченко", "Александр", "Евгеньевич", 2011, 3, 4)
    person("Малкова", "Ольга", "Петровна", 1990, 1, 1)  # a neighbour, never linked
    scope = [cast.municipality_a.pk]
    cases = [
        (("МАЛКОВ", "ВЛАДИМИР", "ВАСИЛЬЕВИЧ", "2018-07-24"), malkov),
        (("Зюкин", "Виталий", "Олегович", "1975-07-08"), zyukin),
        (("Целобаев", "Пётр", "Иванович", "1981-02-15"), tselobaev),
        (("Анатолий", "Степаньков", "Сергеевич", "2012-04-09"), stepankov),
        (("Собчинко", "Александр", "Евгеньевич", "2011-03-05"), sobchenko),
    ]
    for (last, first, patr, birth), expected in cases:
        linker = candidates.Linker(candidates.search_scope(scope), scope)
        query = candidates.query_record(last, first, patr, birth, "", cast.municipality_a.pk)
        new = person_prepare(data=PersonData(territory=cast.municipality_a, last_name=last,
                                             first_name=first))  # fmt: skip
        resolution = linker.resolve_query(query, new)
        assert resolution.decision == "link", (last, resolution)
        assert resolution.person is not None and resolution.person.pk == expected.pk


def test_intake_tells_namesakes_apart_by_the_family_the_report_names(cast: Cast) -> None:
    """Two registry children of the same full name; a report without a date of birth names
    the mother: the child living with her is linked, the region and municipality are
    compared, and a report naming nobody leaves the pair to a person (issue 19 §9)."""
    from ochag.registry.services import person_prepare

    def person(last: str, first: str, patr: str, y: int) -> Person:
        data = PersonData(territory=cast.municipality_a, last_name=last, first_name=first,
                          patronymic=patr, birth_year=y, birth_month=5, birth_day=5)  # fmt: skip
        return person_create(actor=None, data=data)

    ours, namesake = (
        person("Лаптев", "Егор", "Ильич", 2014),
        person("Лаптев", "Егор", "Ильич", 2011),
    )
    for child, mother in ((ours, ("Лаптева", "Дарья", "Олеговна")),
                          (namesake, ("Лаптева", "Инна", "Петровна"))):  # fmt: skip
        home = household_create(actor=cast.worker_a, territory=cast.municipality_a, name="Лаптевы")
        membership_add(actor=cast.worker_a, household=home, person=child, role="child")
        membership_add(actor=cast.worker_a, household=home, role="parent",
                       person=person(*mother, 1985))  # fmt: skip
    scope = [cast.municipality_a.pk, cast.municipality_b.pk]

    def resolve(relatives: tuple[str, ...] = ()) -> candidates.Resolution:
        linker = candidates.Linker(candidates.search_scope(scope), scope, region="r")
        query = candidates.query_record("Лаптев", "Егор", "Ильич", "", "",
                                        cast.municipality_a.pk, relatives=relatives)  # fmt: skip
        new = person_prepare(data=PersonData(territory=cast.municipality_a, last_name="Лаптев",
                                             first_name="Егор"))  # fmt: skip
        resolution = linker.resolve_query(query, new)
        levels = linker.matcher.match(replace(query, region="r")).candidates[0].levels
        assert levels[FIELDS.index("geo")] == 2  # same region, same municipality
        return resolution

    named = resolve(("Лаптева Даша", "Лаптев Илья Сергеевич"))
    assert named.decision == "link" and named.person is not None and named.person.pk == ours.pk
    assert resolve().decision == "review"
    assert resolve(("Лаптева Мария Ивановна",)).decision != "link"


def test_a_reported_person_without_a_sex_gets_it_from_the_father_s_name_or_first_name() -> None:
    """Signals carry no sex field (issue 19): the engine reads it from the patronymic, else
    from an unambiguous first name, so the sex is compared at intake as in the registry;
    a name either sex may bear (Саша) and no patronymic leave it unknown, not guessed."""
    from ochag.linkage.records import features

    def sex(last: str, first: str, patr: str) -> str | None:
        return features(candidates.query_record(last, first, patr, "", "", 0)).sex

    assert sex("Лаптев", "Егор", "Ильич") == "M"
    assert sex("Лаптева", "Саша", "Ильинична") == "F"
    assert sex("Лаптева", "Дарья", "") == "F"
    assert sex("Лаптев", "Саша", "") is None
