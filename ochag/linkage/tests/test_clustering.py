"""Batch clustering's anti-chaining rules (issue 19 §9): a cluster never holds two people
that something decisive tells apart, however the records in between agree."""

from __future__ import annotations

from ochag.linkage import PersonRecord as R
from ochag.linkage.tests.clusters import groups as _groups

NAME = ("Прилуцкий", "Владимир", "Викторович")


def _at(rid: str, born: str | None, place: str | None = "m16", name: tuple[str, ...] = NAME,
        sex: str | None = "M") -> R:  # fmt: skip
    last, first, patr = name
    return R(rid, last, first, patr, sex, born, region="r", municipality=place)


def test_full_namesakes_with_different_dates_never_share_a_cluster() -> None:
    """A~B and B~C, A and C full namesakes born on days no slip explains: B (the same name
    without a date, or only the year) agrees with both, and still A and C stay apart."""
    for vague in (None, "2015", "2015-06"):
        a = _at("a", "2015-06-11")
        c = _at("c", "2015-06-27")
        b = _at("b", vague)
        groups = _groups(a, b, c)
        assert not any({"a", "c"} <= g for g in groups), (vague, groups)


def test_a_vague_record_between_two_namesakes_joins_neither() -> None:
    """Each namesake has two records; the dateless one matches both equally: a person
    decides which child it is."""
    groups = _groups(
        _at("a1", "2015-06-11"), _at("a2", "2015-06-11"),
        _at("c1", "2016-03-20"), _at("c2", "2016-03-20"),
        _at("b", None),
    )  # fmt: skip
    assert frozenset({"b"}) in groups
    assert frozenset({"a1", "a2"}) in groups and frozenset({"c1", "c2"}) in groups


def test_a_vague_record_joins_the_namesake_it_clearly_matches() -> None:
    """The other namesake has no father's name and lives elsewhere: the full match leads by
    far more than 8× and the record joins it."""
    other = ("Прилуцкий", "Владимир", None)
    groups = _groups(
        _at("a1", "2015-06-11"), _at("a2", "2015-06-11"),
        _at("c1", "2016-03-20", place="m3", name=other),
        _at("b", "2015"),
    )  # fmt: skip
    assert frozenset({"a1", "a2", "b"}) in groups


def test_two_attested_dates_a_year_apart_are_two_people() -> None:
    """One record a year off is a slip (merged); two records on each side that agree on
    their own date, a year apart, are namesakes born a year apart."""
    assert _groups(_at("a1", "2012-11-08"), _at("b1", "2013-11-08")) == {frozenset({"a1", "b1"})}
    groups = _groups(
        _at("a1", "2012-11-08"), _at("a2", "2012-11-08"),
        _at("b1", "2013-11-08"), _at("b2", "2013-11-08"),
    )  # fmt: skip
    assert groups == {frozenset({"a1", "a2"}), frozenset({"b1", "b2"})}


def test_a_year_only_record_in_another_municipality_is_not_merged() -> None:
    """The full name and the father's name agree and only the year is known: the other
    municipality is all that tells two namesakes apart."""
    assert len(_groups(_at("a", "2018-12-09", place="m7"), _at("b", "2018", place="m13"))) == 2
    assert len(_groups(_at("a", "2018-12-09", place="m7"), _at("b", "2018", place="m7"))) == 1


def test_a_missing_municipality_is_not_another_municipality() -> None:
    """A date a slip away merges in the same municipality and not in another one; with the
    municipality missing on one side nothing says the place differs."""
    assert len(_groups(_at("a", "1976-01-10"), _at("b", "1976-01-01", place="m3"))) == 2
    assert len(_groups(_at("a", "1976-01-10"), _at("b", "1976-01-01", place=None))) == 1


def test_a_similar_surname_with_a_partial_date_is_not_merged() -> None:
    """Two vague parts together (a surname only similar, a date known to the month on one
    side) never merge by themselves."""
    a = _at("a", "2011-10-14", name=("Воронина", "Надежда", "Михайловна"), sex="F")
    b = _at("b", "2011-10", name=("Вороновская", "Надежда", "Михайловна"), sex="F")
    assert len(_groups(a, b)) == 2
    full = _at("b", "2011-10-14", name=("Вороновская", "Надежда", "Михайловна"), sex="F")
    assert len(_groups(a, full)) == 1


def test_a_swapped_and_a_misspelt_record_of_one_person_share_a_cluster() -> None:
    """«Виктор Махов» (names swapped) and «Шмах ов Виктор» (a slip) each match «Махов
    Виктор»; against each other both names differ and the weight is very low, but that is
    one person written two ways, not two people."""
    groups = _groups(
        _at("a", "2018-11-22", name=("Махов", "Виктор", "Андреевич")),
        _at("b", "2018-11-22", name=("Виктор", "Махов", "Андреевич")),
        _at("c", "2018-11-22", name=("Шмах ов", "Виктор", "Андреевич")),
    )
    assert groups == {frozenset({"a", "b", "c"})}
