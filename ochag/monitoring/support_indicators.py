"""Indicators over support referrals (issue 17 §2: referrals made, waiting, unmet,
completed with outcome), read through ``ochag.support.figures``."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ochag.monitoring.indicators import (
    FLOW,
    STOCK,
    Count,
    Dimension,
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


# What the counts of referrals share, said once.
_count = partial(
    Count,
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
    _count(
        code="referrals_made",
        name=_("Referrals made"),
        formula=_("Referrals to services sent in the period, by current status and service"),
        kind=FLOW,
        up_is_good=None,
        condition=SENT.condition,
        dimensions=[STATUS, SERVICE],
        flow=SENT,
    ),
    _count(
        code="referrals_waiting",
        name=_("Referrals waiting"),
        formula=_("Referrals sent and neither closed nor started by the end of the period"),
        kind=STOCK,
        up_is_good=False,
        condition=_waiting,
        dimensions=[STATUS, SERVICE],
    ),
    _count(
        code="referrals_unmet",
        name=_("Referrals unmet"),
        formula=_("Referrals declined by the provider or withdrawn in the period"),
        kind=FLOW,
        up_is_good=False,
        condition=UNMET.condition,
        dimensions=[STATUS, SERVICE],
        flow=UNMET,
    ),
    _count(
        code="referrals_completed",
        name=_("Referrals completed"),
        formula=_("Referrals completed in the period, by outcome"),
        kind=FLOW,
        up_is_good=True,
        condition=COMPLETED.condition,
        dimensions=[OUTCOME, SERVICE],
        flow=COMPLETED,
    ),
]
