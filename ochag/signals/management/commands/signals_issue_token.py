"""Issue an API token for an agency; the token is printed once and only its hash is kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ochag.access.models import Agency
from ochag.access.tokens import agency_token_issue


class Command(BaseCommand):
    help = "Issue an API token for an agency (printed once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("agency_id", type=int)
        parser.add_argument("--name", default="API")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agency = Agency.objects.get(pk=options["agency_id"])
        except Agency.DoesNotExist as exc:
            raise CommandError(f"No agency with id {options['agency_id']}") from exc
        _token, raw = agency_token_issue(actor=None, agency=agency, name=options["name"])
        self.stdout.write(raw)
