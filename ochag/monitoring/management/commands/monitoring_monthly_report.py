"""Build and keep last month's indicator report of every region:
`python manage.py monitoring_monthly_report` (``--schedule`` queues the daily background run,
which builds the month that just ended and keeps it for download)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Build and keep last month's indicator report of every region."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the daily background run instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            from ochag.monitoring.tasks import schedule_next

            schedule_next()
            self.stdout.write("daily monthly-report run queued")
            return
        from ochag.monitoring.reports import keep_last_month

        kept = keep_last_month()
        self.stdout.write(f"{len(kept)} monthly reports kept")
