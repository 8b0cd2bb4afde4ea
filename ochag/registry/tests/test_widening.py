"""The intake's tolerant look-up for a whole batch (registry.search.name_candidates) finds,
per reported person, what the staff search's own one-person look-up finds for it."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ochag.conftest import Cast
from ochag.linkage import PersonRecord
from ochag.registry import candidates, vocabulary
from ochag.registry.explain import person_record
from ochag.registry.keyplan import plan_candidates
from ochag.registry.models import Person
from ochag.registry.search import name_candidates, name_plan
from ochag.registry.services import (
    PersonData,
    person_create,
    person_former_name_add,
    person_prepare,
)


def _registry(cast: Cast) -> dict[str, Person]:
    def person(last: str, first: str, patr: str, y: int, m: int | None, d: int | None,
               where: object = None) -> Person:  # fmt: skip
        data = PersonData(territory=where or cast.municipality_a, last_name=last,
                          first_name=first, patronymic=patr, birth_year=y, birth_month=m,
                          birth_day=d)  # fmt: skip
        return person_create(actor=None, data=data)

    made = {
        "malkov": person("Малков", "Владимир", "Васильевич", 2018, 7, 25),
        "zyukin": person("Зюкин", "Виталий", "Олегович", 1975, 8, 7),
        "tselobaev": person("Целобаев", "Пётр", "Иванович", 1980, 2, 15),
        "stepankov": person("Степаньков", "Анатолий", "Сергеевич", 2012, 4, 9),
        "sobchenko": person("Собченко", "Александр", "Евгеньевич", 2011, 3, 4),
        "married": person("Кузнецова", "Ирина", "Павловна", 2009, 5, 1),
        "year_only": person("Малкова", "Ольга", "Петровна", 1990, None, None),
        "elsewhere": person(
            "Малков", "Владимир", "Васильевич", 2018, 7, 25, where=cast.municipality_b
        ),
    }
    person_former_name_add(actor=None, person=made["married"], last_name="Белова")
    # namesakes: more candidates than a small limit keeps, ranked among themselves
    for day in range(1, 8):
        made[f"ivanova{day}"] = person("Иванова", "Мария", "Ивановна", 2014, 6, day)
    vocabulary.forget()
    vocabulary.vocabulary()  # the near spellings' vocabulary, read before queries are counted
    return made


def _query(last: str, first: str, patr: str, birth: str, territory: int) -> PersonRecord:
    return candidates.query_record(last, first, patr, birth, "", territory)


def test_the_batched_look_up_finds_per_person_what_the_one_person_look_up_finds(
    cast: Cast,
) -> None:
    made = _registry(cast)
    scope = [cast.municipality_a.pk]
    base = candidates.search_scope(scope)
    at = cast.municipality_a.pk
    recs = [
        _query("МАЛКОВ", "ВЛАДИМИР", "ВАСИЛЬЕВИЧ", "2018-07-24", at),  # a day off
        _query("Зюкин", "Виталий", "Олегович", "1975-07-08", at),  # day and month swapped
        _query("Целобаев", "Пётр", "Иванович", "1981-02-15", at),  # a year off
        _query("Анатолий", "Степаньков", "Сергеевич", "2012-04-09", at),  # fields swapped
        _query("Собчинко", "Александр", "Евгеньевич", "2011-03-05", at),  # misspelt
        _query("Белова", "Ирина", "Павловна", "2009-05-01", at),  # a former surname
        _query("Малкова", "Ольга", "", "", at),  # no date
        _query("", "", "", "2018-07-25", at),  # no name: nothing to look up
        _query("Иванова", "Мария", "Ивановна", "2014-06-03", at),  # namesakes
        _query("МАЛКОВ", "ВЛАДИМИР", "ВАСИЛЬЕВИЧ", "2018-07-24", at),  # again, same batch
        _query("Целобаев", "Пётр", "Иванович", "", at),  # three words, no date
        _query("Малкова", "Ольга", "Петровна", "1990", at),  # a year only
        _query("Степаньков", "Анатолий", "", "2012-04-08", at),  # two words and a date
    ]
    for limit in (100, 3):
        with CaptureQueriesContext(connection) as queries:
            batched = name_candidates(base, recs, limit)
        assert len(queries) == 1
        if connection.vendor == "postgresql":
            # plans of one shape share one branch (registry.keyplan._batch_branch): far
            # fewer branches than people
            assert 0 < queries[0]["sql"].count("CROSS JOIN LATERAL") <= 5
        alone = []
        for rec in recs:
            plan = name_plan(rec)
            found = plan_candidates(base, plan, limit) if plan is not None else []
            alone.append([person_record(p) for p in found])
        assert batched == alone
    # the comparison is not between empty lists: each looked-for person is found
    found = [{int(r.record_id) for r in rows} for rows in name_candidates(base, recs, 100)]
    expected = ["malkov", "zyukin", "tselobaev", "stepankov", "sobchenko", "married",
                "year_only"]  # fmt: skip
    for rows, name in zip(found, expected, strict=False):
        assert made[name].pk in rows, name
    assert made["elsewhere"].pk not in found[0]  # out of scope
    assert found[7] == set()
    assert len(found[8]) == 7 and found[0] == found[9]
    assert made["tselobaev"].pk in found[10] and made["year_only"].pk in found[11]
    assert made["stepankov"].pk in found[12]
    married = next(r for r in name_candidates(base, recs[5:6], 100)[0]
                   if r.record_id == str(made["married"].pk))  # fmt: skip
    assert married.former_last_names == ("Белова",)


def test_a_batch_is_widened_in_one_statement_and_each_person_still_links(cast: Cast) -> None:
    made = _registry(cast)
    scope = [cast.municipality_a.pk]
    at = cast.municipality_a.pk
    cases = [
        (_query("МАЛКОВ", "ВЛАДИМИР", "ВАСИЛЬЕВИЧ", "2018-07-24", at), "malkov"),
        (_query("Зюкин", "Виталий", "Олегович", "1975-07-08", at), "zyukin"),
        (_query("Целобаев", "Пётр", "Иванович", "1981-02-15", at), "tselobaev"),
        (_query("Анатолий", "Степаньков", "Сергеевич", "2012-04-09", at), "stepankov"),
        (_query("Собчинко", "Александр", "Евгеньевич", "2011-03-05", at), "sobchenko"),
        (_query("Белова", "Ирина", "Павловна", "2009-05-01", at), "married"),
    ]
    linker = candidates.Linker(candidates.search_scope(scope), scope)
    with CaptureQueriesContext(connection) as queries:
        linker.prefetch([q for q, _ in cases])
        for query, name in cases:
            new = person_prepare(data=PersonData(territory=cast.municipality_a,
                                                 last_name=query.last_name or "",
                                                 first_name=query.first_name or ""))  # fmt: skip
            resolution = linker.resolve_query(query, new)
            assert resolution.decision == "link", (name, resolution)
            assert resolution.person is not None and resolution.person.pk == made[name].pk
    widenings = [q for q in queries.captured_queries if "ROW_NUMBER" in q["sql"]]
    assert len(widenings) == 1


def test_a_namesake_born_on_an_unrelated_date_is_not_read(cast: Cast) -> None:
    # With the engine's weights a full namesake born on an unrelated date scores below the
    # review threshold (linkage.reach): the look-up leaves them to the database.
    made = _registry(cast)
    data = PersonData(
        territory=cast.municipality_a, last_name="Малков", first_name="Владимир",
        patronymic="Васильевич", birth_year=2005, birth_month=11, birth_day=11,
    )  # fmt: skip
    older = person_create(actor=None, data=data)
    base = candidates.search_scope([cast.municipality_a.pk])
    at = cast.municipality_a.pk
    query = _query("МАЛКОВ", "ВЛАДИМИР", "ВАСИЛЬЕВИЧ", "2018-07-24", at)
    found = {int(r.record_id) for r in name_candidates(base, [query], 100)[0]}
    assert made["malkov"].pk in found and older.pk not in found
    # a report naming the family can outweigh a different date: every date is read then
    with_family = candidates.query_record("МАЛКОВ", "ВЛАДИМИР", "ВАСИЛЬЕВИЧ", "2018-07-24", "",
                                          at, relatives=["Малкова Ольга Петровна"])  # fmt: skip
    found = {int(r.record_id) for r in name_candidates(base, [with_family], 100)[0]}
    assert {made["malkov"].pk, older.pk} <= found


def test_switched_off_the_tolerant_look_up_is_not_made(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    """OCHAG_INTAKE_TOLERANT=0 (the intake benchmark's measurement switch): a date a day off
    no longer links, and no tolerant statement runs."""
    _registry(cast)
    scope = [cast.municipality_a.pk]
    query = _query("МАЛКОВ", "ВЛАДИМИР", "ВАСИЛЬЕВИЧ", "2018-07-24", cast.municipality_a.pk)
    settings.OCHAG_INTAKE_TOLERANT = False
    linker = candidates.Linker(candidates.search_scope(scope), scope)
    new = person_prepare(data=PersonData(territory=cast.municipality_a, last_name="Малков",
                                         first_name="Владимир"))  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        linker.prefetch([query, _query("Зюкин", "Виталий", "Олегович", "1975-07-08", scope[0])])
        assert linker.resolve_query(query, new).decision == "new"
    assert not [q for q in queries.captured_queries if "ROW_NUMBER" in q["sql"]]
