"""Issue 19 in the engine: misspelt names still block, near dates rank, former and double
surnames, Latin patronymics, declined short forms, the review rule."""

from __future__ import annotations

from ochag.linkage import Matcher, NearIndex, normalise_name
from ochag.linkage import PersonRecord as R


def _registry(*recs: R) -> Matcher:
    m = Matcher()
    m.add_many(recs)
    # namesakes and neighbours so that blocks are not trivially small
    m.add(R("n1", "Кузнецова", "Ольга", "Петровна", "F", "1990-01-01"))
    m.add(R("n2", "Собчак", "Алексей", "Ильич", "M", "2011-03-04"))
    return m


def test_near_index_finds_one_and_two_edits() -> None:
    idx = NearIndex(["aleksandr", "sobcenko", "ivan"])
    assert idx.near("alnksandr") == ["aleksandr"]  # one substitution
    assert idx.near("aleksnadr") == ["aleksandr"]  # a transposition
    assert idx.near("soblenko") == ["sobcenko"]
    assert idx.near("iwan") == ["ivan"]
    assert idx.near("iv") == []  # words under four letters: exact keys only


def test_a_typo_together_with_a_date_error_is_still_found() -> None:
    m = _registry(R("1", "Собченко", "Александр", "Евгеньевич", "M", "2011-03-04"))
    # the surname misspelt and the date a year off: no exact key of the query survives
    res = m.match(R("q", "Собчинко", "Александр", "Евгеньевич", None, "2012-03-04"))
    assert res.candidates[0].record_id == "1"


def test_exact_blocking_only_when_near_names_are_off() -> None:
    # the intake's measurement switch (OCHAG_INTAKE_TOLERANT=0) builds its scorer this way:
    # only the near surname can bring this record into the query's blocks
    rec = R("1", "Собченко", "Александр", "Евгеньевич", "M", "2011-03-04")
    query = R("q", "Собчинко", "Алнксандр", "Евгеньевич", None, "2012-03-04")
    assert "1" in [c.record_id for c in _registry(rec).match(query).candidates]
    exact = Matcher(near=False)
    exact.add(rec)
    assert exact.match(query).candidates == []
    same = exact.match(R("q", "Собченко", "Александр", "Евгеньевич", None, "2011-03-04"))
    assert same.decision == "link"


def test_former_and_double_surnames_link() -> None:
    married = R("1", "Дорохова", "Валентина", "Павловна", "F", "1988-04-04",
                former_last_names=("Белова",))  # fmt: skip
    m = _registry(married)
    assert m.match(R("q", "Белова", "Валентина", "Павловна", None, "1988-04-04")).decision == "link"
    double = m.match(R("q", "Белова-Дорохова", "Валентина", "Павловна", None, "1988-04-04"))
    assert double.decision == "link" and double.candidates[0].record_id == "1"


def test_a_day_off_across_a_month_end_is_near() -> None:
    m = _registry(R("1", "Закиева", "Рита", "Алексеевна", "F", "2016-01-31"))
    res = m.match(R("q", "Закиева", "Рита", "Алексеевна", None, "2016-02-01"))
    assert res.decision == "link"


def test_year_only_links_when_no_one_else_comes_close_and_namesakes_go_to_review() -> None:
    m = _registry(R("1", "Сомина", "Оксана", "Дмитриевна", "F", "1975-05-05"))
    assert m.match(R("q", "Сомина", "Оксана", "Дмитриевна", None, "1975")).decision == "link"
    m.add(R("2", "Сомина", "Оксана", "Дмитриевна", "F", "1975-09-09"))
    assert m.match(R("q", "Сомина", "Оксана", "Дмитриевна", None, "1975")).decision == "review"


def test_latin_patronymic_agrees_with_cyrillic() -> None:
    m = _registry(R("1", "Шамрин", "Константин", "Павлович", "M", "2017-01-21"))
    for patr in ("Pavlovich", "PAVLOVIČ", "Pavlovic"):
        res = m.match(R("q", "Shamrin", "Konstantin", patr, None, "2017-01-21"))
        assert res.decision == "link", patr


def test_declined_and_broken_short_forms() -> None:
    assert {"тимур", "тимофей"} <= normalise_name("Тиму", "first").canonical
    assert {"валентина", "валентин"} <= normalise_name("Валей", "first").canonical
    assert "анна" in normalise_name("Т-аня", "first").canonical
    assert "анна" in normalise_name("Ася", "first").canonical


def test_nominative_surnames_are_not_read_as_genitives() -> None:
    for name in ("Леванов", "Татаринов", "Коханов", "Нилов", "Газизянов", "Михаленок"):
        assert normalise_name(name, "last").nominative == name.lower()


def test_an_unmerged_duplicate_is_no_rival_but_a_namesake_is() -> None:
    m = _registry(
        R("1", "Орлова", "Вера", "Ивановна", "F", "2014-06-01"),
        R("2", "Орлова", "Вера", "Ивановна", "F", "2014-06-01"),  # the same girl, twice
    )
    res = m.match(R("q", "Орлова", "Вера", "Ивановна", None, "2014-06-01"))
    assert res.decision == "link"
    m.add(R("3", "Орлова", "Вера", "Ивановна", "F", "2014-06-02"))  # another girl, a day on
    m.remove("2")
    res = m.match(R("q", "Орлова", "Вера", "Ивановна", None, "2014-06-01"))
    assert res.candidates[0].record_id == "1"


def test_febrl_typing_errors_are_near_not_different() -> None:
    """Errors FEBRL's generator makes: two adjacent year digits swapped, two slips in a
    long first name or surname. Two different known names stay different."""
    from ochag.linkage.model import cmp_date, cmp_first, cmp_last
    from ochag.linkage.records import features

    def f(last: str, first: str, born: str = "") -> object:
        return features(R("x", last, first, None, None, born or None))

    assert cmp_date(f("А", "Б", "1987-05-26"), f("А", "Б", "1978-05-26")) == 3
    assert cmp_date(f("А", "Б", "2010-06-15"), f("А", "Б", "2001-06-15")) == 3
    assert cmp_date(f("А", "Б", "1987-05-26"), f("А", "Б", "1969-05-26")) == 0
    assert cmp_first(f("Карионов", "Никоал"), f("Карионов", "Николай")) == 1
    assert cmp_first(f("Афанасьева", "Збнаид"), f("Афанасьева", "Зинаида")) == 1
    assert cmp_first(f("Иванов", "Виталий"), f("Иванов", "Василий")) == 0
    assert cmp_last(f("Аснивеа", "Светлана"), f("Асриева", "Светлана")) == 1
    m = _registry(R("1", "Габдуллина", "Таисия", "Васильевна", "F", "2010-06-15"))
    res = m.match(R("q", "Габдуллина", "Таисия", "Васильевна", None, "2001-06-15"))
    assert res.decision == "link" and res.candidates[0].record_id == "1"
