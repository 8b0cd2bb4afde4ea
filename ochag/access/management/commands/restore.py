"""Restore a backup into an empty database and files folder, then compare with its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ochag.access.backup import RestoreError, restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and check every table's rows and the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="A folder written by manage.py backup.")
        parser.add_argument(
            "--database-url",
            default=None,
            help="An empty database to restore into (default: the configured one).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            differences = restore(options["source"], database_url=options["database_url"])
        except RestoreError as exc:
            raise CommandError(str(exc)) from exc
        if differences:
            raise CommandError("Restored, but not identical:\n" + "\n".join(differences))
        self.stdout.write("Restored: every table's row count and the audit log checksum match.")
