"""Reporting periods: a calendar year or a month, in the region's local time.

A period is a half-open window ``[start, end)`` of aware datetimes at local midnight, so a
record stamped at 23:59 on 31 December belongs to that year and the next one's first second
to the next. A state "at the end" of a period that has not ended yet is read now.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

MONTH_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class Window:
    """A half-open window of time an indicator is counted over."""

    start: dt.datetime
    end: dt.datetime
    # The "now" a state is read at; None: the clock's. A refresh of the kept counts
    # (``snapshots.py``) reads every window at the one moment it started.
    now: dt.datetime | None = None

    @property
    def moment(self) -> dt.datetime:
        """The moment a state is read at: the window's end, or now if that is still ahead."""
        return min(self.end, self.now or timezone.now())

    def at(self, now: dt.datetime) -> Window:
        return Window(self.start, self.end, now)


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None

    @classmethod
    def parse(cls, text: str | None, today: dt.date | None = None) -> Period:
        """``2026`` or ``2026-03``; anything else gives the current year."""
        today = today or timezone.localdate()
        match = MONTH_RE.match((text or "").strip())
        if match:
            year = int(match.group(1))
            month = int(match.group(2)) if match.group(2) else None
            if 2000 <= year <= today.year + 1 and (month is None or 1 <= month <= 12):
                return cls(year, month)
        return cls(today.year)

    @property
    def key(self) -> str:
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, 1)

    @property
    def next_first_day(self) -> dt.date:
        if self.month is None:
            return dt.date(self.year + 1, 1, 1)
        if self.month == 12:
            return dt.date(self.year + 1, 1, 1)
        return dt.date(self.year, self.month + 1, 1)

    @property
    def window(self) -> Window:
        return Window(_midnight(self.first_day), _midnight(self.next_first_day))

    @property
    def previous(self) -> Period:
        if self.month is None:
            return Period(self.year - 1)
        if self.month == 1:
            return Period(self.year - 1, 12)
        return Period(self.year, self.month - 1)

    @property
    def label(self) -> str:
        if self.month is None:
            return _("%(year)s") % {"year": self.year}
        return formats.date_format(self.first_day, "F Y")

    def months(self) -> list[Period]:
        """The months a trend shows: the year's, or the twelve ending with this month."""
        if self.month is None:
            return [Period(self.year, m) for m in range(1, 13)]
        out: list[Period] = []
        period: Period = self
        for _i in range(12):
            out.append(period)
            period = period.previous
        return out[::-1]

    def started(self) -> bool:
        return self.window.start <= timezone.now()
