"""What the monitoring app counts in signals (its public face for indicators).

Each function returns the signals of one territory subtree (``path``: a territory's
materialised path) or the condition a time window puts on them; an indicator combines the
two, and the same combination gives both its count and its drill-down list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import models
from django.db.models import F, Q

from ochag.signals.models import Channel, Colour, Signal, SignalSubject, SubjectRole

CHANNELS = Channel
COLOURS = Colour


def signals_in(path: str) -> models.QuerySet[Signal]:
    return Signal.objects.filter(territory__path__startswith=path).select_related(
        "territory", "reporting_agency", "routed_to"
    )


def received_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Received in ``[start, end)``."""
    return Q(received_at__gte=start, received_at__lt=end)


def routed_where() -> Q:
    """Routed to an agency with a due date for the first action (whenever received)."""
    return Q(routed_to__isnull=False, due_date__isnull=False)


def taken_on_time_where() -> Q:
    """Routed and taken into work by the agency no later than the due date."""
    return routed_where() & Q(taken_at__isnull=False, taken_at__date__lte=F("due_date"))


def routed_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Received in the window and routed to an agency with a due date for the first action."""
    return received_q(start, end) & routed_where()


def taken_on_time_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Routed in the window and taken into work by the agency no later than the due date."""
    return received_q(start, end) & taken_on_time_where()


def child_without_birth_date_q() -> Q:
    """A child named in the signal without a date of birth (a data-quality check)."""
    lacking = SignalSubject.objects.filter(role=SubjectRole.CHILD, birth_date="")
    return Q(pk__in=lacking.values("signal_id"))


def households_with_indicator(household_ids: Iterable[int], codes: Sequence[str]) -> set[int]:
    """The households a signal linked to them recorded any of the screening indicators
    ``codes`` for (monitoring's risk-score audit groups families by them)."""
    return set(
        Signal.objects.filter(
            household_id__in=household_ids, indicator_rows__indicator__code__in=codes
        )
        .order_by()
        .values_list("household_id", flat=True)
        .distinct()
    )
