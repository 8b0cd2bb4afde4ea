"""Indicators over the data bank (issue 17 §2: children in the bank, placed in families by
form, passed to the federal bank), read through ``ochag.databank.counts``. A profile belongs
to the municipality of the guardianship body that keeps it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ochag.databank import counts as bank
from ochag.monitoring.care_indicators import day_of
from ochag.monitoring.indicators import Dimension, Family, Flow, RecordKind

BANK = "databank"
SOURCES = _("Regional data bank of children left without parental care")


def _date(value: dt.date | None) -> str:
    return formats.date_format(value, "d.m.Y") if value else "—"


# A profile is listed by its number and dates: no names on the list.
PROFILE_RECORD = RecordKind(
    columns=[
        (_("Profile"), "pk"),
        (_("Entered the bank"), "created_on"),
        (_("Guardianship body"), "agency__name"),
        (_("Status"), "status"),
        (_("Placed on"), "placed_on"),
        (_("Form of care"), "placed_form"),
    ],
    default_sort="-created_on",
    cells=lambda c: [
        f"№ {c.pk}",
        _date(c.created_on),
        str(c.agency),
        c.get_status_display(),
        _date(c.placed_on),
        c.get_placed_form_display() or "—",
    ],
    url=lambda c: reverse("databank:child", args=[c.pk]),
)
FORM = Dimension("form", _("Form of care"), "placed_form", choices=bank.FORMS.choices)
AGENCY = Dimension("agency", _("Guardianship body"), "agency", label_field="agency__name")


PROFILES = Family(
    section=BANK,
    unit=_("children"),
    sources=SOURCES,
    base=bank.children_in,
    territory_field="agency__territory",
    record=PROFILE_RECORD,
)
PLACED = Flow("placed_on", lambda: Q(status=bank.STATUSES.PLACED), dates=True)
FEDERAL = Flow("federal__done_on", dates=True)

BANK_INDICATORS = [
    PROFILES.stock(
        lambda w: bank.in_bank_on_q(day_of(w)),
        code="bank_children",
        name=_("Children in the data bank"),
        formula=_(
            "Children in the regional data bank looking for a family at the end of the period "
            "(a profile withdrawn from the bank keeps no date and is not counted)"
        ),
        up_is_good=None,
        dimensions=[AGENCY],
    ),
    PROFILES.flow(
        PLACED,
        code="bank_placed",
        name=_("Children from the data bank placed in families"),
        formula=_("Children of the data bank placed in a family in the period, by form of care"),
        up_is_good=True,
        dimensions=[FORM, AGENCY],
    ),
    PROFILES.flow(
        FEDERAL,
        code="bank_federal",
        name=_("Children passed to the federal data bank"),
        formula=_("Profiles sent to the federal data bank in the period"),
        up_is_good=None,
        dimensions=[AGENCY],
    ),
]
