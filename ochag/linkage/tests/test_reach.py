"""Which registry birth dates can still bring a candidate to review (linkage.reach)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest

from ochag.linkage import Matcher, Params, PersonRecord, birth_reach
from ochag.linkage.model import birth_level

PARAMS = Params.default()


def _every_date(first: int, last: int) -> list[tuple[int, int | None, int | None]]:
    day, out = dt.date(first, 1, 1), []
    while day.year <= last:
        out.append((day.year, day.month, day.day))
        day += dt.timedelta(days=1)
    for year in range(first, last + 1):
        out += [(year, None, None), *((year, month, None) for month in range(1, 13))]
    return out


def _holds(keys: tuple[str, ...], date: tuple[int, int | None, int | None]) -> bool:
    """Whether a registry person born on `date` holds one of `keys` (their key words)."""
    y, m, d = date
    iso = "-".join(f"{part:02d}" for part in (y, m, d) if part is not None)
    return f"Y{y}" in keys or f"B{iso}" in keys


@pytest.mark.parametrize(("patronymic", "household"), [(True, False), (False, False),
                                                       (False, True)])  # fmt: skip
def test_every_date_that_can_reach_review_is_kept(patronymic: bool, household: bool) -> None:
    # Checked against every date of twenty years (full and partial), for query dates with
    # the awkward cases: month and year ends, a leap day, day and month that can swap.
    rng = random.Random(7)
    registry = _every_date(2001, 2020)
    queries = ["2012-03-05", "2010-12-31", "2011-01-01", "2012-02-29", "2008-11-11",
               "2020-10-01", *(f"{rng.randint(2002, 2019)}-{rng.randint(1, 12):02d}-"
                               f"{rng.randint(1, 28):02d}" for _ in range(12))]  # fmt: skip
    threshold = -2.0  # log2 odds of the review threshold 0.2
    assert PARAMS.review_threshold == 0.2
    rest = PARAMS.prior_weight + 11.79 + 5.94 + 1.0 + 2.58  # surname, name, sex, municipality
    rest += 5.64 if patronymic else 0.0
    rest += 5.91 if household else 0.0
    for query in queries:
        keys = birth_reach(PARAMS, query, patronymic=patronymic, household=household)
        assert keys is not None
        y, m, d = (int(part) for part in query.split("-"))
        for date in registry:
            level = birth_level((y, m, d), date)
            can = rest + PARAMS.weight("birth_date", level) >= threshold - 0.01
            assert _holds(keys, date) or not can, (query, date, level)


def test_a_date_that_cannot_matter_is_left_out() -> None:
    keys = birth_reach(PARAMS, "2012-03-05", patronymic=True, household=False)
    assert keys is not None
    assert "Y2012" in keys  # the same year, another day: a full namesake can reach review
    assert "B2013-03-05" in keys and "B2021-03-05" in keys  # a year off, digits swapped
    assert "Y2014" not in keys and "B2014-07-19" not in keys
    # no father's name to agree: a date of the same year is too little, the near ones count
    keys = birth_reach(PARAMS, "2012-03-05", patronymic=False, household=False)
    assert keys is not None and "Y2012" not in keys
    assert {"B2012-03-05", "B2012-03-04", "B2012-05-03", "B2012"} <= set(keys)
    assert birth_reach(PARAMS, "2012", patronymic=True, household=False) == ("Y2012",)


def test_no_date_or_enough_other_evidence_keeps_every_date() -> None:
    assert birth_reach(PARAMS, None, patronymic=True, household=False) is None
    assert birth_reach(PARAMS, "not a date", patronymic=True, household=False) is None
    # a household named on both sides can outweigh even a different date
    assert birth_reach(PARAMS, "2012-03-05", patronymic=True, household=True) is None


def test_the_engine_agrees_a_left_out_candidate_is_new() -> None:
    # The best case of a left-out date, scored by the engine: everything else agrees.
    query = PersonRecord("q", "Иванов", "Пётр", "Сергеевич", "M", "2012-03-05",
                         municipality="1", region="r")  # fmt: skip
    namesake = replace(query, record_id="1", birth_date="2014-07-19")
    matcher = Matcher(PARAMS)
    matcher.add(namesake)
    result = matcher.match(query)
    assert result.decision == "new"
    assert not _holds(birth_reach(PARAMS, "2012-03-05", patronymic=True, household=False)
                      or (), (2014, 7, 19))  # fmt: skip
    same_year = replace(namesake, record_id="2", birth_date="2012-08-19")
    matcher.add(same_year)
    assert matcher.match(query).decision != "new"  # and that one is kept (Y2012)
