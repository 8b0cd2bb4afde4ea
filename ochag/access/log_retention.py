"""How long the logs are kept: record views three years, the audit log five (then one audit
entry per run says how many went). Both are overridable per region (OCHAG_RETENTION_DAYS)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.access.retention import Rule
from ochag.core.models import AccessLogEntry, AuditEvent


def _views(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return AccessLogEntry.objects.filter(at__lt=cutoff)


def _audit(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return AuditEvent.objects.filter(at__lt=cutoff)


def rules() -> list[Rule]:
    return [
        Rule("access_log", _("Record views log"), 3 * 365, _views, audit_each=False,
             order=900),
        Rule("audit_log", _("Audit log"), 5 * 365, _audit, audit_each=False, order=910),
    ]  # fmt: skip
