"""Load the synthetic demo region, if the database has no region yet."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from ochag.core.models import Territory
from ochag.demo.generator import generate_region

LOGINS_FILE = settings.VAR_DIR / "demo-logins.txt"


class Command(BaseCommand):
    help = "Generate the demo region (deterministic for a seed) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=settings.OCHAG_DEMO_SEED)
        parser.add_argument("--persons", type=int, default=50_000)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when a region already exists; print the logins.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Territory.objects.filter(level=Territory.Level.REGION).exists():
            if not options["if_empty"]:
                self.stderr.write(
                    "A region already exists; the demo is loaded only into an empty database."
                )
            self._print_logins()
            return
        started = time.monotonic()
        self.stdout.write(f"Generating the demo region (seed {options['seed']})…")
        result = generate_region(
            seed=options["seed"],
            persons=options["persons"],
            progress=lambda n: self.stdout.write(f"  {n} persons…"),
        )
        elapsed = time.monotonic() - started
        counts = ", ".join(f"{k}: {v}" for k, v in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo region ready in {elapsed:.1f} s ({counts})."))
        lines = [
            f"{login.username}\t{login.password}\t{login.role}\t{login.agency}"
            for login in result.logins
        ]
        LOGINS_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
        LOGINS_FILE.chmod(0o600)
        self._print_logins()

    def _print_logins(self) -> None:
        if not LOGINS_FILE.exists():
            return
        self.stdout.write("\nDemo logins (two-factor authentication is off for demo accounts):")
        self.stdout.write(f"{'login':<22}{'password':<16}role — agency")
        for line in LOGINS_FILE.read_text(encoding="utf-8").splitlines():
            username, password, role, agency = line.split("\t")
            self.stdout.write(f"{username:<22}{password:<16}{role} — {agency}")
        self.stdout.write("")
