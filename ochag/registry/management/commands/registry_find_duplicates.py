"""Fill the duplicate review queue: `python manage.py registry_find_duplicates [--region ID]`.

Runs the linkage engine's find_duplicate_pairs region by region over current persons and
stores new likely pairs; pairs already decided (merged or dismissed) are never reopened.
``--schedule`` queues the nightly background run instead (the worker then keeps queuing the
next night's); safe to run again at any time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ochag.core.models import Territory
from ochag.registry.models import Person
from ochag.registry.services import duplicates_find


class Command(BaseCommand):
    help = "Find likely duplicate persons and add them to the review queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", type=int, help="Territory id to limit the run to.")
        parser.add_argument("--min-probability", type=float, default=0.5)
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the nightly background run (django-tasks-db) instead of searching now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            from ochag.registry.tasks import schedule_next

            schedule_next()
            self.stdout.write("nightly duplicate search queued")
            return
        people = Person.objects.all()
        if options["region"] is not None:
            try:
                region = Territory.objects.get(pk=options["region"])
            except Territory.DoesNotExist as exc:
                raise CommandError(f"No territory with id {options['region']}") from exc
            people = people.filter(territory__path__startswith=region.path)
        created = duplicates_find(queryset=people, min_probability=options["min_probability"])
        self.stdout.write(f"{created} new possible duplicate pairs")
