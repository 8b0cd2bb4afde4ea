"""Retention of what the cases app decides: a closed case after five years, and a closed
signal that led to no case after three (the cases app is the one that knows both)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.db.models import F, Max
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ochag.access.retention import Rule
from ochag.cases.models import Case, CaseStatus
from ochag.signals.models import Attachment, Signal, Status


def closed_cases(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return Case.objects.filter(status=CaseStatus.CLOSED, closed_at__lt=cutoff).select_related(
        "territory"
    )


def signals_without_case(cutoff: dt.datetime) -> models.QuerySet[Any]:
    """Closed signals no case came from, untouched since ``cutoff`` (their last event, or
    their receipt when they have none)."""
    last = Coalesce(Max("events__at"), F("received_at"))
    return (
        Signal.objects.filter(status=Status.CLOSED, cases__isnull=True)
        .annotate(last_activity=last)
        .filter(last_activity__lt=cutoff)
        .select_related("territory")
    )


def _purge_signals(rows: models.QuerySet[Any]) -> int:
    """Delete the signals and, once that is committed, their attached files."""
    files = list(
        Attachment.objects.filter(signal__in=rows.values("pk")).values_list("file", flat=True)
    )
    gone = rows.delete()[1].get(Signal._meta.label, 0)
    storage = Attachment._meta.get_field("file").storage

    def remove() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(remove)
    return gone


def rules() -> list[Rule]:
    return [
        Rule("signals_without_case", _("Closed signals that led to no case"), 3 * 365,
             signals_without_case, purge=_purge_signals, order=60),
        Rule("closed_cases", _("Closed cases"), 5 * 365, closed_cases, order=70),
    ]  # fmt: skip
