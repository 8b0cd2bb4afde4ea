"""Retention of uploaded import files: kept 30 days after their import job ends (the job's
row and the signals it made stay; only the file with its raw rows goes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from ochag.access.retention import Rule
from ochag.signals.models import ImportJob


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


def rules() -> list[Rule]:
    return [
        Rule("import_files", _("Uploaded import files"), 30, finished_import_files,
             purge=_purge_files, order=80),
    ]  # fmt: skip
