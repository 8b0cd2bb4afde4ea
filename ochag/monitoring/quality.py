"""Data-quality checks in the spirit of CCWIS (peers.md): counts of records missing what
they should hold, by the agency that should fix them, each opening its list."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from ochag.care import figures as care
from ochag.monitoring.care_indicators import INSTITUTION, PLACEMENTS, day_of
from ochag.monitoring.catalogue import SIGNALS_FAMILY, SOURCE_AGENCY
from ochag.monitoring.indicators import Flow
from ochag.signals import figures as signals

QUALITY = "quality"


LACKING = Flow("received_at", signals.child_without_birth_date_q)


QUALITY_CHECKS = [
    replace(SIGNALS_FAMILY, section=QUALITY, sources=_("Signals: subjects")).flow(
        LACKING,
        code="dq_signal_no_birth_date",
        name=_("Signals naming a child without a date of birth"),
        formula=_(
            "Signals received in the period whose child has no date of birth, by the "
            "agency that reported them"
        ),
        up_is_good=False,
        dimensions=[SOURCE_AGENCY],
    ),
    replace(PLACEMENTS, section=QUALITY).stock(
        lambda w: care.without_overseer_q(day_of(w)),
        code="dq_care_no_overseer",
        name=_("Children in care without an overseer"),
        formula=_(
            "Children in institutions at the end of the period with no overseer named, "
            "by institution"
        ),
        up_is_good=False,
        dimensions=[INSTITUTION],
    ),
]
