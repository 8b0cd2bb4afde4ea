"""Back up the database and the uploaded files into a new folder (see ochag/access/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ochag.access.backup import backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files into a new folder with a checked manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", type=Path, help="A folder that does not exist yet.")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = backup(options["target"])
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Backup in {options['target']}: {manifest['engine']}, "
            f"{len(manifest['rows'])} tables, {rows} rows, audit {manifest['audit_sha256'][:12]}…"
        )
