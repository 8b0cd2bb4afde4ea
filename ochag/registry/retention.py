"""Retention of persons marked for deletion: a week after the coordinator's mark (time to
withdraw it), the record goes — unless something has come to need the person since."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.access.retention import Rule
from ochag.registry import involvement
from ochag.registry.models import Person


def marked_persons(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return Person.objects.filter(deletion_mark__marked_at__lt=cutoff).select_related("territory")


def _purge(rows: models.QuerySet[Any]) -> int:
    gone = 0
    for person in rows:
        if involvement.person_needs(person.pk):
            continue  # reported as kept; the coordinator sees why on the person's page
        gone += min(person.delete()[0], 1)
    return gone


def rules() -> list[Rule]:
    return [Rule("marked_persons", _("Persons marked for deletion"), 7, marked_persons,
                 purge=_purge, order=90)]  # fmt: skip
