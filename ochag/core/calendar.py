"""The working-day calendar every deadline in Ochag is computed with.

Federal public holidays and the transferred days (a Saturday made a working day, a
weekday made a day off) come from the maintained ``holidays`` package; a region can
override single days through :class:`ochag.core.models.CalendarOverride`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from ochag.core.models import CalendarOverride, Territory


@lru_cache(maxsize=32)
def _federal(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """Days off on weekdays and working weekend days of one year, per the federal calendar."""
    ru = holidays.country_holidays("RU", years=year)
    return frozenset(ru.keys()), frozenset(ru.weekend_workdays)


def _federal_working(day: dt.date) -> bool:
    days_off, weekend_workdays = _federal(day.year)
    if day in weekend_workdays:
        return True
    return day.weekday() < 5 and day not in days_off


def _overrides(region: Territory | None, start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    if region is None:
        return {}
    rows = CalendarOverride.objects.filter(region=region, date__range=(start, end))
    return {row.date: row.is_working for row in rows}


def _region_of(territory: Territory | None) -> Territory | None:
    return territory.region if territory is not None else None


def is_working_day(day: dt.date, *, territory: Territory | None = None) -> bool:
    """Whether ``day`` is a working day in the territory's region."""
    overrides = _overrides(_region_of(territory), day, day)
    return overrides.get(day, _federal_working(day))


def add_working_days(start: dt.date, days: int, *, territory: Territory | None = None) -> dt.date:
    """The date ``days`` working days after ``start``.

    ``days == 0`` means "today if it is a working day, else the next working day", which is
    what a same-day deadline needs. The start day itself never counts towards ``days``.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    region = _region_of(territory)
    # Generous window: even the longest Russian holiday run (New Year) fits in it.
    overrides = _overrides(region, start, start + dt.timedelta(days=days * 2 + 30))

    def working(day: dt.date) -> bool:
        return overrides.get(day, _federal_working(day))

    day = start
    if days == 0:
        while not working(day):
            day += dt.timedelta(days=1)
        return day
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if working(day):
            remaining -= 1
    return day


def working_days_between(
    start: dt.date, end: dt.date, *, territory: Territory | None = None
) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
    if end < start:
        return -working_days_between(end, start, territory=territory)
    overrides = _overrides(_region_of(territory), start, end)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if overrides.get(day, _federal_working(day)):
            count += 1
    return count
