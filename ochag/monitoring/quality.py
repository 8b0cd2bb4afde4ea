"""Data-quality checks in the spirit of CCWIS (peers.md): counts of records missing what
they should hold, by the agency that should fix them, each opening its list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ochag.care import figures as care
from ochag.monitoring.care_indicators import PLACEMENT_RECORD, day_of
from ochag.monitoring.catalogue import SIGNAL_RECORD
from ochag.monitoring.indicators import FLOW, STOCK, Count, Dimension, Flow
from ochag.signals import figures as signals

QUALITY = "quality"


LACKING = Flow("received_at", signals.child_without_birth_date_q)


QUALITY_CHECKS = [
    Count(
        code="dq_signal_no_birth_date",
        section=QUALITY,
        name=_("Signals naming a child without a date of birth"),
        unit=_("signals"),
        formula=_(
            "Signals received in the period whose child has no date of birth, by the "
            "agency that reported them"
        ),
        sources=_("Signals: subjects"),
        kind=FLOW,
        up_is_good=False,
        base=signals.signals_in,
        condition=LACKING.condition,
        flow=LACKING,
        territory_field="territory",
        record=SIGNAL_RECORD,
        dimensions=[
            Dimension(
                "agency",
                _("Source agency"),
                "reporting_agency",
                label_field="reporting_agency__name",
            )
        ],
    ),
    Count(
        code="dq_care_no_overseer",
        section=QUALITY,
        name=_("Children in care without an overseer"),
        unit=_("children"),
        formula=_(
            "Children in institutions at the end of the period with no overseer named, "
            "by institution"
        ),
        sources=_("Children in institutions: placements"),
        kind=STOCK,
        up_is_good=False,
        base=care.placements_in,
        condition=lambda w: care.without_overseer_q(day_of(w)),
        territory_field="institution__territory",
        record=PLACEMENT_RECORD,
        dimensions=[
            Dimension(
                "institution", _("Institution"), "institution", label_field="institution__name"
            )
        ],
    ),
]
