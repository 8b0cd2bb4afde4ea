"""Retention of uploaded import files: kept 30 days after their import job ends (the job's
row and the signals it made stay; only the file with its raw rows goes). And the public face
for whoever decides that closed signals go (the cases app: only it knows whether a case came
of one): which closed signals have been idle, and their purge with their files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ochag.access.retention import Rule
from ochag.signals.models import Attachment, ImportJob, Signal, Status


def finished_import_files(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return ImportJob.objects.filter(finished_at__lt=cutoff).exclude(file="")


def _purge_files(rows: models.QuerySet[Any]) -> int:
    names = list(rows.values_list("file", flat=True))
    storage = ImportJob._meta.get_field("file").storage
    cleared = rows.update(file="")

    def remove() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)
    return cleared


def closed_signals_idle(cutoff: dt.datetime, where: Q) -> models.QuerySet[Any]:
    """Closed signals matching ``where`` untouched since ``cutoff`` (their last event, or
    their receipt when they have none). ``where`` is applied before the last event is
    aggregated, so a condition across another relation does not multiply the events."""
    last = Coalesce(Max("events__at"), F("received_at"))
    return (
        Signal.objects.filter(where, status=Status.CLOSED)
        .annotate(last_activity=last)
        .filter(last_activity__lt=cutoff)
        .select_related("territory")
    )


def signals_purge(rows: models.QuerySet[Any]) -> int:
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
        Rule("import_files", _("Uploaded import files"), 30, finished_import_files,
             purge=_purge_files, order=80),
    ]  # fmt: skip
