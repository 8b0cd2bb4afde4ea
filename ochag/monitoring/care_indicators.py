"""Indicators over children in institutions (issue 17 §2: by type, age band with 0–4
apart, ground and length of stay; admissions, discharges by outcome, returns home; placement
reviews by the commission on time), read through ``ochag.care.figures``."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ochag.care import figures as care
from ochag.monitoring.indicators import (
    Dimension,
    Family,
    Flow,
    RecordKind,
    Share,
    date_cell,
)
from ochag.monitoring.periods import Window

CARE = "care"
SOURCES = _("Children in institutions: placements")


def _date(value: dt.date | None) -> str:
    return date_cell(value, "—")


def day_of(w: Window) -> dt.date:
    """The last day of the window (or the day of its moment, if the window is not over)."""
    from django.utils import timezone

    return min(w.end.date() - dt.timedelta(days=1), timezone.localdate(w.moment))


# A child in care is listed by registry number and year of birth: no names on the list.
PLACEMENT_RECORD = RecordKind(
    columns=[
        (_("Registry number"), "child_id"),
        (_("Year of birth"), "child__birth_year"),
        (_("Institution"), "institution__name"),
        (_("Admitted"), "admitted_on"),
        (_("Ground"), "ground"),
        (_("Discharged"), "discharged_on"),
        (_("Outcome"), "outcome"),
    ],
    default_sort="-admitted_on",
    cells=lambda p: [
        f"№ {p.child_id}",
        p.child.birth_year or "—",
        p.institution.name,
        _date(p.admitted_on),
        p.get_ground_display(),
        _date(p.discharged_on),
        p.get_outcome_display() or "—",
    ],
    url=lambda p: reverse("care:placement", args=[p.pk]),
)
TYPE = Dimension(
    "type", _("Institution type"), "institution__type", choices=care.INSTITUTION_TYPES.choices
)
GROUND = Dimension("ground", _("Ground"), "ground", choices=care.GROUNDS.choices)
OUTCOME = Dimension("outcome", _("Outcome"), "outcome", choices=care.OUTCOMES.choices)
INSTITUTION = Dimension(
    "institution", _("Institution"), "institution", label_field="institution__name"
)


PLACEMENTS = Family(
    section=CARE,
    unit=_("children"),
    sources=SOURCES,
    base=care.placements_in,
    territory_field="institution__territory",
    record=PLACEMENT_RECORD,
)


ADMITTED = Flow("admitted_on", dates=True)
DISCHARGED = Flow("discharged_on", dates=True)
RETURNED = Flow("discharged_on", lambda: Q(outcome__in=care.RETURN_HOME), dates=True)

CARE_INDICATORS = [
    PLACEMENTS.stock(
        lambda w: care.in_care_q(day_of(w)),
        code="in_care",
        name=_("Children in institutions"),
        formula=_(
            "Children in residential institutions at the end of the period, by type and ground"
        ),
        up_is_good=False,
        dimensions=[TYPE, GROUND, INSTITUTION],
    ),
    PLACEMENTS.stock(
        lambda w: care.age_band_q(day_of(w), "0-4"),
        code="in_care_0_4",
        name=_("Children aged 0–4 in institutions"),
        formula=_("Children under five in institutions at the end of the period (Zero-Four)"),
        up_is_good=False,
        dimensions=[TYPE, GROUND],
    ),
    PLACEMENTS.stock(
        lambda w: care.stay_band_q(day_of(w), "1-3y") | care.stay_band_q(day_of(w), "3y+"),
        code="in_care_over_year",
        name=_("Children in institutions for over a year"),
        formula=_(
            "Children in institutions at the end of the period whose stay is a year or longer"
        ),
        up_is_good=False,
        dimensions=[TYPE, GROUND],
    ),
    PLACEMENTS.flow(
        ADMITTED,
        code="admissions",
        name=_("Admissions to institutions"),
        formula=_("Children admitted to institutions in the period, by ground"),
        up_is_good=False,
        dimensions=[GROUND, TYPE],
    ),
    PLACEMENTS.flow(
        DISCHARGED,
        code="discharges",
        name=_("Discharges from institutions"),
        formula=_("Children discharged in the period, by outcome"),
        up_is_good=None,
        dimensions=[OUTCOME, TYPE],
    ),
    PLACEMENTS.flow(
        RETURNED,
        code="returns_home",
        name=_("Returns home"),
        formula=_("Children discharged in the period to their parents or relatives"),
        up_is_good=True,
        dimensions=[OUTCOME, TYPE],
    ),
]


REVIEW_SOURCES = _("Placement commission: reviews of placements")
# A review is listed by the child's registry number and its dates: no names on the list.
REVIEW_RECORD = RecordKind(
    columns=[
        (_("Registry number"), "placement__child_id"),
        (_("Institution"), "placement__institution__name"),
        (_("Review"), "kind"),
        (_("Review due"), "due_on"),
        (_("Reviewed"), "done_on"),
    ],
    default_sort="-done_on",
    cells=lambda r: [
        f"№ {r.placement.child_id}",
        r.placement.institution.name,
        r.get_kind_display(),
        _date(r.due_on),
        _date(r.done_on),
    ],
    url=lambda r: reverse("care:placement", args=[r.placement_id]),
)
REVIEW_KIND = Dimension("kind", _("Review"), "kind", choices=care.REVIEW_KINDS.choices)


REVIEWS = Family(
    section=CARE,
    unit=_("reviews"),
    sources=REVIEW_SOURCES,
    base=care.reviews_in,
    territory_field="placement__institution__territory",
    record=REVIEW_RECORD,
)

CARE_INDICATORS += [
    REVIEWS.flow(
        Flow("done_on", dates=True),
        code="reviews_done",
        name=_("Placement reviews done"),
        formula=_("Reviews of placements the commission completed in the period"),
        up_is_good=True,
        dimensions=[REVIEW_KIND],
    ),
    REVIEWS.flow(
        Flow("done_on", lambda: Q(done_on__lte=F("due_on")), dates=True),
        code="reviews_on_time",
        name=_("Placement reviews done on time"),
        formula=_("Reviews completed in the period no later than their due date"),
        up_is_good=True,
        dimensions=[REVIEW_KIND],
    ),
]
REVIEWS_ON_TIME_SHARE = Share(
    code="reviews_on_time_share",
    section=CARE,
    name=_("Share of placement reviews done on time"),
    formula=_("Reviews done on time ÷ reviews done in the period × 100"),
    sources=REVIEW_SOURCES,
    up_is_good=True,
    numerator="reviews_on_time",
    denominator="reviews_done",
)
