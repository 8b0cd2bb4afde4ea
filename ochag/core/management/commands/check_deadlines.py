"""The daily deadline check over every registered kind of deadline-bearing task
(ochag.core.deadlines): mark overdue rows, let each app tell the people concerned.

Run daily (the ``check_deadlines_daily`` background task calls this command; cron may too).
Running it twice the same day notifies nobody twice. Prints one line per kind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from ochag.core.deadlines import deadlines_check


class Command(BaseCommand):
    help = "Mark overdue deadline-bearing tasks of every app and escalate them (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the daily background run (django-tasks-db) instead of checking now.",
        )
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="Check as of this day (YYYY-MM-DD); default today.",
        )
        parser.add_argument(
            "--kind", action="append", default=[], help="Only this kind (e.g. cases.task)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            from ochag.core.tasks import schedule_next

            schedule_next()
            self.stdout.write("daily deadline check queued")
            return
        day = options["date"] or timezone.localdate()
        for report in deadlines_check(day=day, only=options["kind"]):
            self.stdout.write(str(report))
