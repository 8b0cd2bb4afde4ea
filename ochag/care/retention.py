"""Retention of care records: a child's stay goes five years after discharge (like the closed
case of the family it usually belongs to, and before it: a placement holds its family case);
institutions' visits and incidents go five years after they happened. The institution itself,
its plan and the commission's sittings are the region's history and stay.

A child with a stay on record is needed by care: the coordinator's deletion mark is refused
with that reason until the stay has gone by its term."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ochag.access.retention import Rule
from ochag.care.models import Incident, Placement, Visit

YEARS_5 = 5 * 365


def discharged_placements(cutoff: dt.datetime) -> models.QuerySet[Any]:
    # A placement's reviews and parents' contacts go with it (CASCADE).
    return Placement.objects.filter(discharged_on__lt=cutoff.date())


def old_visits(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return Visit.objects.filter(visited_on__lt=cutoff.date())


def old_incidents(cutoff: dt.datetime) -> models.QuerySet[Any]:
    # An incident whose follow-up is still open stays, however old.
    return Incident.objects.filter(occurred_on__lt=cutoff.date(), done_on__isnull=False)


def person_needs(person_id: int) -> list[str]:
    n = Placement.objects.filter(child_id=person_id).count()
    if not n:
        return []
    return [ngettext("%(n)s stay in a residential institution",
                     "%(n)s stays in residential institutions", n)
            % {"n": n}]  # fmt: skip


def rules() -> list[Rule]:
    # Placements before the closed cases (order 70) they point at.
    return [
        Rule("care_discharged_placements", _("Stays in institutions ended by discharge"), YEARS_5,
             discharged_placements, order=66),
        Rule("care_visits", _("Visits to institutions"), YEARS_5, old_visits, order=80),
        Rule("care_incidents", _("Incidents in institutions with their follow-up done"), YEARS_5,
             old_incidents, order=81),
    ]  # fmt: skip
