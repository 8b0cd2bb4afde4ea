"""Re-read the dashboards' kept counts of every region: `python manage.py monitoring_refresh`
(``--schedule`` queues the periodic background run, every 15 minutes on the worker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Re-read the kept counts of every region's dashboards."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the periodic background run instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            from ochag.monitoring.tasks import schedule_refresh

            queued = schedule_refresh()
            self.stdout.write("periodic refresh queued" if queued else "already queued")
            return
        from ochag.core.models import Territory
        from ochag.monitoring.services import indicator_values_refresh

        for region in Territory.objects.filter(level=Territory.Level.REGION).order_by("path"):
            done = indicator_values_refresh(region=region)
            if done is None:
                self.stdout.write(f"{region.name}: another refresh is running")
            else:
                self.stdout.write(f"{region.name}: {done.seconds} s, data as of {done.taken_at}")
