"""Helpers every signal screen uses."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.core.models import Territory
from ochag.signals.models import Signal


def region_of(user: User) -> Territory | None:
    scope = user.scope_territory
    return (scope.region or scope) if scope is not None else None


def sent_to(signal: Signal) -> dict[str, str]:
    """A new signal's number and where it went, for the message that confirms it."""
    return {
        "number": signal.number,
        "agency": str(signal.routed_to or _("the regional coordinator")),
    }
