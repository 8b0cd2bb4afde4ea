"""Signals test helpers for this app's tests and those above it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ochag.access.models import Agency
from ochag.registry.models import Household
from ochag.signals.models import Basis, Channel, Colour, Signal, Track


def report_about(agency: Agency, home: Household, **fields: Any) -> Signal:
    """A signal ``agency`` sent about the family ``home``: what makes the agency involved."""
    data: dict[str, Any] = {
        "channel": Channel.STAFF, "basis": Basis.DUTY_ART9, "received_at": timezone.now(),
        "reporting_agency": agency, "territory": home.territory, "household": home,
        "original_text": "Ребёнок часто пропускает занятия", "colour": Colour.YELLOW,
        "track": Track.SUPPORT,
    }  # fmt: skip
    data.update(fields)
    return Signal.objects.create(**data)
