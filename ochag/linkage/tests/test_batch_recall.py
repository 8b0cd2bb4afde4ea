"""Batch de-duplication recall rules (issue 19, FEBRL-style set): records whose names and date
are all damaged, slips in the first name read as twins, a swapped record against a misspelt
one; each with the namesake guard it must keep."""

from __future__ import annotations

from ochag.linkage import PersonRecord as R
from ochag.linkage.batch import batch_keys, candidate_pairs
from ochag.linkage.blocking import blocking_keys
from ochag.linkage.records import features
from ochag.linkage.tests.clusters import groups as _groups


def _r(rid: str, last: str, first: str, patr: str, born: str, place: str = "m1") -> R:
    sex = "F" if patr.endswith("на") else "M"
    return R(rid, last, first, patr, sex, born, region="r", municipality=place)


def test_names_and_date_all_damaged_still_meet_through_the_fathers_name() -> None:
    a = _r("a", "Кукушкин", "Андрей", "Николаевич", "2021-08-09", "m14")
    b = _r("b", "Кукшкин", "Андре", "Николаевич", "2012-08-09", "m14")
    fa, fb = features(a), features(b)
    assert not blocking_keys(fa, query=True) & blocking_keys(fb, query=True)
    assert batch_keys(fa) & batch_keys(fb)
    assert candidate_pairs([fa, fb]).tolist() == [[0, 1]]
    assert _groups(a, b) == {frozenset({"a", "b"})}


def test_slips_in_the_first_name_are_no_twins_when_the_person_is_spelt_right() -> None:
    """«Иоси пф» and «Иохиф» are too far apart to be one name misspelt, and with the same
    family and date they would pass for twins; Иосиф, spelt right in a third record, says
    whose slips they are."""
    groups = _groups(
        _r("a", "Шабуров", "Иосиф", "Евгеньевич", "2017-12-24"),
        _r("b", "Шабуров", "Иоси пф", "Евгеньевич", "2017-12-24"),
        _r("c", "Шабуров", "Иохиф", "Евгеньевич", "2017-12-24"),
    )
    assert groups == {frozenset({"a", "b", "c"})}


def test_twins_with_a_slip_in_one_name_stay_two_children() -> None:
    groups = _groups(
        _r("a", "Шабуров", "Иван", "Евгеньевич", "2017-12-24"),
        _r("b", "Шабуров", "Ивна", "Евгеньевич", "2017-12-24"),
        _r("c", "Шабуров", "Илья", "Евгеньевич", "2017-12-24"),
    )
    assert frozenset({"a", "c"}) not in groups
    assert not any({"a", "c"} <= g or {"b", "c"} <= g for g in groups)


def test_a_swapped_record_and_one_with_a_longer_slip_share_a_cluster() -> None:
    groups = _groups(
        _r("a", "Мышов", "Рустам", "Александрович", "2022-10-10"),
        _r("b", "Устам", "Мышов", "Александрович", "2022-10-10"),
        _r("c", "Мышов", "Рувстма", "Александрович", "2022-10-10"),
    )
    assert groups == {frozenset({"a", "b", "c"})}


def test_a_swapped_namesake_with_another_known_first_name_stays_apart() -> None:
    groups = _groups(
        _r("a", "Петрова", "Анна", "Ивановна", "2015-03-03"),
        _r("b", "Алла", "Петрова", "Ивановна", "2015-03-03"),
    )
    assert len(groups) == 2
