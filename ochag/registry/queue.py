"""Reads of the duplicates queue: the pairs ranked for review (open work and children
first), and the queue's filters by probability band and municipality. Every read starts
from the policy's queryset (``selectors.duplicate_queue``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Coalesce

from ochag.registry.extensions import open_work
from ochag.registry.likelihood import BANDS, weight_at
from ochag.registry.models import DuplicateCandidate
from ochag.registry.selectors import duplicate_queue

if TYPE_CHECKING:
    from ochag.access.models import User


def duplicate_queue_ranked(user: User, today: dt.date) -> models.QuerySet[DuplicateCandidate]:
    """The queue with what orders it: ``open_work`` (either person has an open case the user
    may see), ``child`` (either person is under 18 today), ``priority`` (pairs with open
    work first, then pairs with a child, each by the match weight) and ``born`` (the year
    of birth, to sort by age). All in the one query of the list."""
    pairs = duplicate_queue(user)
    ids = open_work(user)
    open_q = Q(pk__in=[])
    for subquery in ids:
        open_q |= Q(person_a__in=subquery) | Q(person_b__in=subquery)
    child_q = _child_q("person_a", today) | _child_q("person_b", today)
    return pairs.annotate(
        open_work=ExpressionWrapper(open_q, output_field=BooleanField()),
        child=ExpressionWrapper(child_q, output_field=BooleanField()),
        urgency=Case(When(open_q, then=Value(2000.0)), default=Value(0.0))
        + Case(When(child_q, then=Value(1000.0)), default=Value(0.0)),
        priority=F("urgency") + F("score"),
        born=Coalesce("person_a__birth_year", "person_b__birth_year"),
    )


def _child_q(prefix: str, today: dt.date) -> Q:
    """Born less than 18 years before ``today`` (as far as the birth date is known: a year
    alone counts when it is after the adult year)."""
    year = today.year - 18
    return (
        Q(**{f"{prefix}__birth_year__gt": year})
        | Q(**{f"{prefix}__birth_year": year, f"{prefix}__birth_month__gt": today.month})
        | Q(
            **{
                f"{prefix}__birth_year": year,
                f"{prefix}__birth_month": today.month,
                f"{prefix}__birth_day__gt": today.day,
            }
        )
    )


def duplicate_filter_band(
    pairs: models.QuerySet[DuplicateCandidate], token: str
) -> models.QuerySet[DuplicateCandidate]:
    """Pairs whose calibrated probability is in the band ``token`` (likelihood.BANDS)."""
    for key, _label, low, high in BANDS:
        if key == token:
            if low > 0:
                pairs = pairs.filter(score__gte=weight_at(low))
            if high < 1:
                pairs = pairs.filter(score__lt=weight_at(high))
            return pairs
    return pairs


def duplicate_filter_territory(
    pairs: models.QuerySet[DuplicateCandidate], territory_id: str
) -> models.QuerySet[DuplicateCandidate]:
    return pairs.filter(
        Q(person_a__territory_id=territory_id) | Q(person_b__territory_id=territory_id)
    )
