"""Records past their retention term: `python manage.py retention` lists them (a dry run,
recorded in the audit log), `--apply` deletes them with an audit entry each, `--schedule`
queues the nightly run on the worker (which applies)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ochag.access.retention import Outcome, retention_apply, retention_plan


class Command(BaseCommand):
    help = "List (or with --apply delete) records whose retention term has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="Delete, not only list.")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the nightly background run (django-tasks-db), which applies.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            from ochag.access.tasks import schedule_retention

            schedule_retention()
            self.stdout.write("nightly retention run queued")
            return
        if options["apply"]:
            for o in retention_apply():
                self.stdout.write(self._line(o, f"{o.deleted} deleted"))
                for label in o.blocked:
                    self.stdout.write(f"    kept, other records still need it: {label}")
            return
        for o in retention_plan():
            self.stdout.write(self._line(o, f"{o.due} past term (dry run)"))
            for label in o.sample:
                self.stdout.write(f"    {label}")

    @staticmethod
    def _line(o: Outcome, what: str) -> str:
        return f"{o.rule.key} ({o.rule.label}, {o.rule.days} days): {what}"
