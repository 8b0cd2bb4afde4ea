"""Delete attempt counters whose window ended more than a day ago:
`python manage.py access_purge_throttle` (``--schedule`` queues the nightly run instead).

Every login tried and every address that sent a public report leaves a row
(ochag/access/throttle.py); a closed window holds nothing the limits still need.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ochag.access import throttle


class Command(BaseCommand):
    help = "Delete sign-in and rate-limit counters whose window ended more than a day ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the nightly background run (django-tasks-db) instead of purging now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            from ochag.access.tasks import schedule_next

            schedule_next()
            self.stdout.write("nightly purge of throttle counters queued")
            return
        deleted = throttle.purge(older_than=dt.timedelta(days=1))
        self.stdout.write(f"{deleted} stale throttle counters deleted")
