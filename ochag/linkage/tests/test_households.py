"""Household evidence (issue 19 §9) and the candidate cap of the real-time matcher."""

from __future__ import annotations

from ochag.linkage import Matcher
from ochag.linkage import PersonRecord as R
from ochag.linkage.matcher import MAX_SCORED
from ochag.linkage.model import FIELDS, cmp_household
from ochag.linkage.records import address_key, features, relative_keys

MOTHER = "Кравцова Ирина Петровна"
OTHER_MOTHER = "Кравцова Светлана Юрьевна"


def test_relatives_are_compared_by_family_and_full_first_name() -> None:
    # a short form, the other gender's surname form and a dropped patronymic still agree
    assert relative_keys("Кравцова Ира") & relative_keys(MOTHER)
    assert relative_keys("кравцов саша") & relative_keys("Кравцова Александра Ильинична")
    assert not relative_keys(OTHER_MOTHER) & relative_keys(MOTHER)
    assert relative_keys("Кравцова") == frozenset()  # a surname alone says nothing


def test_addresses_agree_however_written_and_say_nothing_when_too_short() -> None:
    assert address_key("г. Тверь, ул. Ленина, д. 5, кв. 12") == address_key("Тверь Ленина 5-12")
    assert address_key("ул. Ленина") == ""
    assert address_key(None) == ""


def test_household_levels() -> None:
    k = FIELDS.index("household")
    child = R("1", "Кравцов", "Олег", "Ильич", "M", "2015-01-01", relatives=(MOTHER,))
    same = features(R("q", "Кравцов", "Олег", relatives=("Кравцова Ира",)))
    other = features(R("q", "Кравцов", "Олег", relatives=(OTHER_MOTHER,)))
    none = features(R("q", "Кравцов", "Олег"))
    assert cmp_household(same, features(child)) == 1
    assert cmp_household(other, features(child)) == 0
    assert cmp_household(none, features(child)) == -1
    at = features(R("q", "Кравцов", "Олег", address="Ленина 5-12, Тверь"))
    home = features(R("1", "Кравцов", "Олег", address="г. Тверь, ул. Ленина, д. 5, кв. 12"))
    assert cmp_household(at, home) == 1
    moved = features(R("1", "Кравцов", "Олег", address="Тверь, Советская 1"))
    assert cmp_household(at, moved) == -1  # a different address is no evidence against
    m = Matcher()
    m.add(child)
    levels = m.match(R("q", "Кравцов", "Олег", "Ильич", None, "2015-01-01",
                       relatives=(OTHER_MOTHER,))).candidates[0].levels  # fmt: skip
    assert levels[k] == 0


def test_full_namesakes_are_told_apart_by_their_households() -> None:
    """Two children of the same full name, no date reported: the one living with the
    mother the report names is linked; without the household the date is missing and the
    pair goes to a person; a report naming another mother links to neither."""
    m = Matcher()
    m.add(R("1", "Кравцов", "Олег", "Ильич", "M", "2015-01-01", relatives=(MOTHER,)))
    m.add(R("2", "Кравцов", "Олег", "Ильич", "M", "2012-06-06",
            relatives=(OTHER_MOTHER, "Кравцов Илья Романович")))  # fmt: skip
    with_mother = m.match(R("q", "Кравцов", "Олег", "Ильич", relatives=("Кравцова Ира",)))
    assert with_mother.decision == "link" and with_mother.candidates[0].record_id == "1"
    assert m.match(R("q", "Кравцов", "Олег", "Ильич")).decision == "review"
    stranger = m.match(R("q", "Кравцов", "Олег", "Ильич", relatives=("Кравцова Анна Олеговна",)))
    assert stranger.decision != "link"


def test_a_household_does_not_override_a_different_date() -> None:
    m = Matcher()
    m.add(R("1", "Кравцов", "Олег", "Ильич", "M", "2015-01-01", relatives=(MOTHER,)))
    res = m.match(R("q", "Кравцов", "Олег", "Ильич", None, "2009-09-20", relatives=(MOTHER,)))
    assert res.decision != "link"


def test_a_common_name_scores_the_records_sharing_most_keys_first() -> None:
    """More namesakes than the matcher scores: the right one (same date, municipality,
    patronymic) shares more keys than any of them and is still found first."""
    m = Matcher()
    for i in range(MAX_SCORED + 400):
        born = f"{1980 + i % 30}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        m.add(R(f"n{i}", "Иванов", "Александр", None, "M", born, municipality=f"m{i % 7}"))
    m.add(R("t", "Иванов", "Александр", "Сергеевич", "M", "2004-02-29", municipality="x"))
    res = m.match(R("q", "Иванов", "Александр", "Сергеевич", None, "2004-02-29",
                    municipality="x"))  # fmt: skip
    assert res.candidates[0].record_id == "t" and res.decision == "link"
    assert len(list(m._candidates(features(R("q", "Иванов", "Александр"))))) == MAX_SCORED
