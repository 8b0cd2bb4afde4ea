"""Find overdue case tasks, notify owners and supervisors, put them on the coordinator's board.

Run daily (the ``check_deadlines_daily`` background task calls this command; cron may too).
Running it twice the same day notifies nobody twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ochag.cases.services import deadlines_check


class Command(BaseCommand):
    help = "Mark overdue case tasks and notify their owners and supervisors (idempotent)."

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

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            from ochag.cases.tasks import schedule_next

            schedule_next()
            self.stdout.write("daily deadline check queued")
            return
        report = deadlines_check(today=options["date"])
        self.stdout.write(
            f"overdue={report.overdue} new={report.newly_overdue} "
            f"notifications={report.notifications}"
        )
