"""Indicators over support referrals (issue 17 §2: referrals made, waiting, unmet,
completed with outcome), read through ``ochag.support.figures``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ochag.monitoring.indicators import FLOW, STOCK, Count, Dimension, Flow, RecordKind
from ochag.monitoring.periods import Window
from ochag.support import figures as support

SUPPORT = "support"
SOURCES = _("Support referrals")


def _local_date(value: Any) -> str:
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(value).date(), "d.m.Y") if value else ""


REFERRAL_RECORD = RecordKind(
    columns=[
        (_("Referral"), "pk"),
        (_("Sent"), "sent_at"),
        (_("Municipality"), "territory__name"),
        (_("Service"), "service__name"),
        (_("Status"), "status"),
        (_("Outcome"), "outcome"),
    ],
    default_sort="-sent_at",
    cells=lambda r: [
        f"№ {r.pk}",
        _local_date(r.sent_at),
        r.territory.name,
        r.service.name,
        r.get_status_display(),
        r.get_outcome_display() or "—",
    ],
    url=lambda r: reverse("support:referral", args=[r.pk]),
)
STATUS = Dimension("status", _("Status"), "status", choices=support.STATUSES.choices)
OUTCOME = Dimension("outcome", _("Outcome"), "outcome", choices=support.OUTCOMES.choices)
SERVICE = Dimension("service", _("Service"), "service", label_field="service__name")


def _count(
    code: str,
    name: Any,
    formula: Any,
    kind: str,
    up: bool | None,
    condition: Any,
    dimensions: list[Dimension],
    flow: Flow | None = None,
) -> Count:
    return Count(
        code=code,
        section=SUPPORT,
        name=name,
        unit=_("referrals"),
        formula=formula,
        sources=SOURCES,
        kind=kind,
        up_is_good=up,
        base=support.referrals_in,
        condition=condition,
        territory_field="territory",
        record=REFERRAL_RECORD,
        dimensions=dimensions,
        flow=flow,
    )


SENT = Flow("sent_at")
UNMET = Flow("closed_at", lambda: Q(status__in=support.UNMET))
COMPLETED = Flow("closed_at", lambda: Q(status=support.STATUSES.COMPLETED))


def _waiting(w: Window) -> Any:
    return support.waiting_at_q(w.moment)


SUPPORT_INDICATORS = [
    _count(
        "referrals_made",
        _("Referrals made"),
        _("Referrals to services sent in the period, by current status and service"),
        FLOW,
        None,
        SENT.condition,
        [STATUS, SERVICE],
        SENT,
    ),
    _count(
        "referrals_waiting",
        _("Referrals waiting"),
        _("Referrals sent and neither closed nor started by the end of the period"),
        STOCK,
        False,
        _waiting,
        [STATUS, SERVICE],
    ),
    _count(
        "referrals_unmet",
        _("Referrals unmet"),
        _("Referrals declined by the provider or withdrawn in the period"),
        FLOW,
        False,
        UNMET.condition,
        [STATUS, SERVICE],
        UNMET,
    ),
    _count(
        "referrals_completed",
        _("Referrals completed"),
        _("Referrals completed in the period, by outcome"),
        FLOW,
        True,
        COMPLETED.condition,
        [OUTCOME, SERVICE],
        COMPLETED,
    ),
]
