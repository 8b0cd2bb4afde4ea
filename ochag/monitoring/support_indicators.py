"""Indicators over support referrals (issue 17 §2: referrals made, waiting, unmet,
completed with outcome), read through ``ochag.support.figures``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ochag.monitoring.indicators import (
    Dimension,
    Family,
    Flow,
    RecordKind,
    local_date_cell,
)
from ochag.monitoring.periods import Window
from ochag.support import figures as support

SUPPORT = "support"
SOURCES = _("Support referrals")


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
        local_date_cell(r.sent_at),
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


REFERRALS = Family(
    section=SUPPORT,
    unit=_("referrals"),
    sources=SOURCES,
    base=support.referrals_in,
    territory_field="territory",
    record=REFERRAL_RECORD,
)


SENT = Flow("sent_at")
UNMET = Flow("closed_at", lambda: Q(status__in=support.UNMET))
COMPLETED = Flow("closed_at", lambda: Q(status=support.STATUSES.COMPLETED))


def _waiting(w: Window) -> Any:
    return support.waiting_at_q(w.moment)


SUPPORT_INDICATORS = [
    REFERRALS.flow(
        SENT,
        code="referrals_made",
        name=_("Referrals made"),
        formula=_("Referrals to services sent in the period, by current status and service"),
        up_is_good=None,
        dimensions=[STATUS, SERVICE],
    ),
    REFERRALS.stock(
        _waiting,
        code="referrals_waiting",
        name=_("Referrals waiting"),
        formula=_("Referrals sent and neither closed nor started by the end of the period"),
        up_is_good=False,
        dimensions=[STATUS, SERVICE],
    ),
    REFERRALS.flow(
        UNMET,
        code="referrals_unmet",
        name=_("Referrals unmet"),
        formula=_("Referrals declined by the provider or withdrawn in the period"),
        up_is_good=False,
        dimensions=[STATUS, SERVICE],
    ),
    REFERRALS.flow(
        COMPLETED,
        code="referrals_completed",
        name=_("Referrals completed"),
        formula=_("Referrals completed in the period, by outcome"),
        up_is_good=True,
        dimensions=[OUTCOME, SERVICE],
    ),
]
