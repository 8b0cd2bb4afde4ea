"""Which registry birth dates can still bring a candidate to review.

A tolerant look-up (a misspelt name, a date a day or a year off) reads the registry's bearers
of a reported person's name words, and at registry scale a common name is thousands of
persons of every age. Most of them cannot matter: with the engine's weights, a registry
person born on an unrelated date scores below the review threshold even when every other
field agrees as well as it can (the date's "different" weight outweighs them), so the
engine would answer "new" whether the look-up read them or not. :func:`birth_reach` says,
from the engine's own parameters, which birth dates can still matter, so the look-up reads
only those and decides exactly as before.

Registry persons without a birth year compare as missing (no weight): they always can.
Agreement on SNILS is left out of the best case on purpose: a person with the reported SNILS
is read by its own exact look-up, whatever their date.
"""

from __future__ import annotations

import datetime as dt
import math

from .model import FIELDS, Params, Ymd, birth_level
from .records import parse_date

# Fields the best case of the rest of a comparison may count: every one but the date itself
# and SNILS (see the module's note); the household only when the report gives one.
_LEFT_OUT = frozenset({"birth_date", "snils"})
# Nobody in a registry is born later than next year (a date typed for an expected child).
_LAST_YEAR = dt.date.today().year + 1


def _best_rest(params: Params, *, patronymic: bool, household: bool) -> float:
    """The highest weight the fields other than the date can add to the prior."""
    total = params.prior_weight
    for name in FIELDS:
        if name in _LEFT_OUT or (name == "patronymic" and not patronymic):
            continue
        if name == "household" and not household:
            continue
        # a field may also be missing on one side (no weight): never below zero
        total += max(0.0, *(params.weight(name, level) for level in range(len(params._w[name]))))
    return total


def _levels(params: Params, *, patronymic: bool, household: bool) -> set[int]:
    """The birth-date levels at which a candidate can reach review (their weights need not
    rise with the level: a partial date's agreement may weigh more than a near one)."""
    threshold = math.log2(params.review_threshold / (1 - params.review_threshold))
    rest = _best_rest(params, patronymic=patronymic, household=household)
    levels = range(len(params._w["birth_date"]))
    return {lv for lv in levels if rest + params.weight("birth_date", lv) >= threshold}


def _near(y: int, m: int, d: int) -> list[Ymd]:
    """Every registry date that can compare with (y, m, d) above "same year" or "different":
    two of the three parts the same (the third any value), day and month swapped, a day
    apart, and the registry's partial dates of that year (the test suite checks this list
    against every date of a range)."""
    out: list[Ymd] = [(y, m, day) for day in range(1, 32)]
    out += [(y, month, d) for month in range(1, 13)]
    years = {y + 1, y - 1} | {
        int(f"{str(y)[:i]}{digit}{str(y)[i + 1 :]}") for i in range(4) for digit in "0123456789"
    }
    text = str(y)
    years |= {int(text[:i] + text[i + 1] + text[i] + text[i + 2 :]) for i in range(3)}
    out += [(year, m, d) for year in sorted(years) if 1850 <= year <= _LAST_YEAR]
    out.append((y, d, m))
    for step in (-1, 1):
        try:
            near = dt.date(y, m, d) + dt.timedelta(days=step)
        except (ValueError, OverflowError):
            continue
        out.append((near.year, near.month, near.day))
    out += [(y, None, None), *((y, month, None) for month in range(1, 13))]
    return out


def _key(date: Ymd) -> str:
    y, m, d = date
    return "B" + "-".join(f"{part:02d}" for part in (y, m, d) if part is not None)


def _valid(date: Ymd) -> bool:
    y, m, d = date
    try:
        dt.date(y or 1, m or 1, d or 1)
    except ValueError:
        return False
    return True


def birth_reach(
    params: Params, birth_date: str | None, *, patronymic: bool, household: bool
) -> tuple[str, ...] | None:
    """The registry persons' birth keys (``Y<year>``: born that year; ``B<date>``: that date,
    full or as far as known) among which a candidate for a report born on `birth_date` can
    still reach the review threshold; registry persons without a birth year always can.
    None when any date can (no reported date, or weights under which even a different date
    can be outweighed); empty when no registry date can. ``patronymic``/``household``: whether
    the report gives a father's name and household evidence (each can add weight)."""
    try:
        y, m, d = parse_date(birth_date)
    except ValueError:
        return None
    if y is None:
        return None
    levels = _levels(params, patronymic=patronymic, household=household)
    if 0 in levels:
        return None
    if m is None or d is None:
        # a partial reported date compares with another year as "different": only its year
        return (f"Y{y}",) if levels & {1, 2} else ()
    query: Ymd = (y, m, d)
    # with "same year" enough, the year's key stands for every date of it
    keys = {f"Y{y}"} if 1 in levels else set()
    for date in _near(y, m, d):
        wanted = (1 not in levels or date[0] != y) and _valid(date)
        if wanted and birth_level(query, date) in levels:
            keys.add(_key(date))
    return tuple(sorted(keys))
