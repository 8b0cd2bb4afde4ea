"""Partial dates: a date of birth is often known only to the month or the year.

One value type for every app: it parses what people type (ДД.ММ.ГГГГ, ММ.ГГГГ, ГГГГ) and
what systems send (YYYY-MM-DD, YYYY-MM, YYYY), and writes both forms back. The linkage
engine keeps its own plain-Python parser (``ochag.linkage.records.parse_date``) because it
may import nothing of ours; the two accept the same ISO forms, and a test holds them to it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# The years the linkage engine accepts too; what is plausible for a date of birth is the
# caller's to say (the intake refuses dates before 1900 or after today).
EARLIEST_YEAR, LATEST_YEAR = 1800, 2200
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_RU = re.compile(r"^(?:(?:(\d{1,2})\.)?(\d{1,2})\.)?(\d{4})$")


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day without a month")
        if self.month is not None and self.year is None:
            raise ValueError("a month without a year")
        if self.year is not None:
            # Raises ValueError for a month or a day that does not exist.
            dt.date(self.year, self.month or 1, self.day or 1)

    @classmethod
    def parse(cls, text: str | None) -> PartialDate:
        """ДД.ММ.ГГГГ, ММ.ГГГГ, ГГГГ or ISO; empty text is an unknown date; ValueError else."""
        value = (text or "").strip()
        if not value:
            return cls()
        if match := _ISO.match(value):
            year, month, day = match.groups()
        elif match := _RU.match(value):
            day, month, year = match.groups()
        else:
            raise ValueError(f"not a date: {value!r}")
        if not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
            raise ValueError(f"not a plausible year: {value!r}")
        return cls(
            int(year),
            int(month) if month else None,
            int(day) if day else None,
        )

    @classmethod
    def of(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @property
    def known(self) -> bool:
        return self.year is not None

    @property
    def parts(self) -> tuple[int | None, int | None, int | None]:
        return (self.year, self.month, self.day)

    @property
    def iso(self) -> str:
        """YYYY-MM-DD, YYYY-MM or YYYY (empty when unknown), as systems and the engine take it."""
        if self.year is None:
            return ""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def display(self) -> str:
        """ДД.ММ.ГГГГ, ММ.ГГГГ or ГГГГ (empty when unknown), as people read it."""
        if self.year is None:
            return ""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.month:02d}.{self.year:04d}"
        return f"{self.day:02d}.{self.month:02d}.{self.year:04d}"

    @property
    def date(self) -> dt.date | None:
        """The full date, when the day is known."""
        if self.year is None or self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)

    def earliest(self) -> dt.date | None:
        """The first day the date can be (1 January of a bare year)."""
        if self.year is None:
            return None
        return dt.date(self.year, self.month or 1, self.day or 1)
