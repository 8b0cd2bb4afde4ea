"""Retention of what the cases app decides: a closed case after five years, and a closed
signal that led to no case after three (the cases app is the one that knows both)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ochag.access.retention import Rule
from ochag.cases.models import Case, CaseStatus
from ochag.signals.retention import closed_signals_idle, signals_purge


def closed_cases(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return Case.objects.filter(status=CaseStatus.CLOSED, closed_at__lt=cutoff).select_related(
        "territory"
    )


def signals_without_case(cutoff: dt.datetime) -> models.QuerySet[Any]:
    """Closed signals no case came from, untouched since ``cutoff`` (their last event, or
    their receipt when they have none)."""
    return closed_signals_idle(cutoff, Q(cases__isnull=True))


def rules() -> list[Rule]:
    return [
        Rule("signals_without_case", _("Closed signals that led to no case"), 3 * 365,
             signals_without_case, purge=signals_purge, order=60),
        Rule("closed_cases", _("Closed cases"), 5 * 365, closed_cases, order=70),
    ]  # fmt: skip
