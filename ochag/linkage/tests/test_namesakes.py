"""Issue 19 §9: a full-name match with a discordant or missing birth date must not outweigh
the evidence against it — in the date comparison, the real-time decision and the batch
de-duplication's clustering."""

from __future__ import annotations

from ochag.linkage import Matcher, dedupe
from ochag.linkage import PersonRecord as R
from ochag.linkage.model import cmp_date
from ochag.linkage.records import features

NAME = ("Салиев", "Михаил", "Анатольевич")


def _date_level(a: str, b: str) -> int:
    return cmp_date(features(R("a", *NAME, "M", a)), features(R("b", *NAME, "M", b)))


def test_one_part_different_is_near_only_when_a_slip_explains_it() -> None:
    assert _date_level("1961-09-02", "1961-09-03") == 3  # a day off
    assert _date_level("1961-09-02", "1961-09-08") == 3  # one digit
    assert _date_level("1961-09-12", "1961-09-21") == 3  # two digits swapped
    assert _date_level("1961-09-02", "1961-08-02") == 3  # the month off by one
    assert _date_level("1961-01-02", "1961-11-02") == 3  # the month a digit apart
    assert _date_level("1961-09-02", "1961-09-17") == 1  # another day of that month
    assert _date_level("1961-03-02", "1961-11-02") == 1  # another month
    assert _date_level("1961-01-31", "1961-02-01") == 3  # a day off across a month end


def test_namesakes_on_days_no_slip_explains_are_not_linked() -> None:
    m = Matcher()
    m.add(R("1", *NAME, "M", "1961-09-02"))
    # before: "near", a link at 12 bits; now a person sees it (it may be a wrong date)
    assert m.match(R("q", *NAME, None, "1961-09-17")).decision == "review"
    assert m.match(R("q", *NAME, None, "1961-09-03")).decision == "link"


def _at(rid: str, last: str, first: str, patr: str | None, sex: str | None, born: str | None,
        *, place: str) -> R:  # fmt: skip
    """A record in municipality `place` of one region."""
    return R(rid, last, first, patr, sex, born, region="r", municipality=place)


def _clusters(*recs: R) -> dict[str, str]:
    return dedupe(list(recs))


def test_a_year_only_record_does_not_join_two_namesakes() -> None:
    """Two children of the same full name born in the same year on different days and a
    third record with the year only: it may join one of them, never make them one."""
    c = _clusters(
        _at("a", "Лагуновский", "Николай", "Кириллович", "M", "2022-06-30", place="m8"),
        _at("b", "Лагуновский", "Николай", "Кириллович", "M", "2022-01-13", place="m3"),
        _at("y", "Лагуновский", "Николай", "Кириллович", None, "2022", place="m3"),
    )
    assert c["a"] != c["b"]


def test_different_dates_merge_when_the_snils_agrees() -> None:
    snils = "112-233-445 95"
    c = _clusters(
        R("a", *NAME, "M", "1961-09-02", snils=snils),
        R("b", *NAME, "M", "1961-04-17", snils=snils),
    )
    assert c["a"] == c["b"]


def test_a_dateless_record_needs_the_father_and_the_place_to_merge() -> None:
    full = _at("a", "Сафаров", "Алексей", "Николаевич", "M", "1982-04-24", place="m10")
    bare = _at("b", "Сафаров", "Алексей", None, "M", None, place="m10")
    assert len(set(_clusters(full, bare).values())) == 2  # surname and first name only
    with_father = _at("b", "Сафаров", "Алексей", "Николаевич", "M", None, place="m10")
    assert len(set(_clusters(full, with_father).values())) == 1
    elsewhere = _at("b", "Сафаров", "Алексей", "Николаевич", "M", None, place="m29")
    assert len(set(_clusters(full, elsewhere).values())) == 2


def test_a_year_only_record_needs_the_father_or_the_place() -> None:
    full = _at("a", "Комаров", "Сергей", "Игоревич", "M", "1994-08-01", place="m10")
    short = _at("b", "Комаров", "Серега", None, "M", "1994", place="m3")
    assert len(set(_clusters(full, short).values())) == 2
    here = _at("b", "Комаров", "Серега", None, "M", "1994", place="m10")
    assert len(set(_clusters(full, here).values())) == 1


def test_a_misspelt_first_name_is_not_a_twin() -> None:
    """Same family, father and birth date: a first name two slips from a known one that
    the dictionary does not know is that name misspelt (linked); two known names are twins
    (never linked); a known name one slip away is a typo as before."""
    m = Matcher()
    m.add(R("1", "Миннеханова", "Любовь", "Сергеевна", "F", "2015-05-19"))
    misspelt = m.match(R("q", "Миннеханова", "Люблоуь", "Сергеевна", None, "2015-05-19"))
    assert misspelt.decision == "link" and not misspelt.candidates[0].conflicts
    twin = m.match(R("q", "Миннеханова", "Людмила", "Сергеевна", None, "2015-05-19"))
    assert twin.decision != "link" and twin.candidates[0].conflicts


def test_a_mistyped_year_with_a_misspelt_name_is_still_found() -> None:
    """The year's digits swapped, the surname and the first name misspelt: no key with the
    year, the whole date or the first name survives; the surname's near spelling with the
    day and month still meets the record."""
    m = Matcher()
    m.add(R("1", "Мысякина", "Жанна", "Евстафьевна", "F", "1989-05-04"))
    m.add(R("2", "Мысякина", "Ольга", "Петровна", "F", "1975-02-11"))
    res = m.match(R("q", "Мыякина", "Ажнна", "Евстафьевна", None, "1998-05-04"))
    assert res.candidates and res.candidates[0].record_id == "1"


def test_a_near_date_in_another_municipality_is_not_merged() -> None:
    """Namesakes born a day apart: in one municipality a slip explains it (merged); in two,
    the date and the place both differ and a person tells them apart."""
    a = _at("a", "Гилев", "Владимир", "Алексеевич", "M", "2012-07-25", place="m5")
    here = _at("b", "Гилев", "Владимир", "Алексеевич", "M", "2012-07-26", place="m5")
    elsewhere = _at("b", "Гилев", "Владимир", "Алексеевич", "M", "2012-07-26", place="m16")
    assert len(set(_clusters(a, here).values())) == 1
    assert len(set(_clusters(a, elsewhere).values())) == 2


def test_a_similar_surname_needs_the_father_or_the_place() -> None:
    """Кокушина / Микушина Ирина born the same day: the first name and the date are what
    many share; with the father's name or the municipality agreeing too, a misspelling."""
    a = _at("a", "Кокушина", "Ирина", None, "F", "2013-08-13", place="m38")
    other = _at("b", "Микушина", "Ирина", None, "F", "2013-08-13", place="m28")
    assert len(set(_clusters(a, other).values())) == 2
    same_place = _at("b", "Микушина", "Ирина", None, "F", "2013-08-13", place="m38")
    assert len(set(_clusters(a, same_place).values())) == 1
