"""The demo's clock: the days of the cases' story, which both demo modules write in
(``demo`` the cases, ``demo_kdn`` the КДН's sittings); apart so neither imports the other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from ochag.cases import services
from ochag.core.clock import as_of

STORY_DAYS = 100  # the oldest case was opened this many days ago


class Story:
    """The days of the story: ``at(days_ago, hour)`` runs what follows at that moment."""

    def __init__(self) -> None:
        self.now = timezone.now()
        self.today = timezone.localdate()

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def moment(self, days_ago: int, hour: int) -> dt.datetime:
        local = dt.datetime.combine(
            self.day(days_ago), dt.time(hour), timezone.get_current_timezone()
        )
        return min(local, self.now - dt.timedelta(minutes=5))

    def daily_checks(self) -> None:
        """The daily deadline check on every day of the story, in order (after the cases are
        written: a task is then overdue from the day after its deadline, as the daily job
        would have recorded it)."""
        for days_ago in range(STORY_DAYS, -1, -1):
            with as_of(self.moment(days_ago, 6)):
                services.deadlines_check(today=self.day(days_ago))

    @contextmanager
    def at(self, days_ago: int, hour: int = 10) -> Iterator[None]:
        with as_of(self.moment(days_ago, hour)):
            yield
