"""What monitoring counts from the registry, without names: the disability status of the
children it audits the risk score for (aggregated there, never listed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from ochag.registry.disability import DISABLED, PersonDisability, status_on


def disability_history(person_ids: Iterable[int]) -> dict[int, list[tuple[dt.date, str]]]:
    """(effective date, status) of each person's recorded statuses, in the order recorded:
    one query whatever the number of persons. An established disability holds from the date
    established; a later «not established» from the day recorded (a review ended it); a
    first row «not established» from always (no disability was ever recorded)."""
    rows = (
        PersonDisability.objects.filter(person_id__in=list(person_ids))
        .order_by("recorded_at", "pk")
        .values_list("person_id", "status", "established_on", "recorded_at")
    )
    out: dict[int, list[tuple[dt.date, str]]] = {}
    for person_id, status, established_on, recorded_at in rows:
        history = out.setdefault(person_id, [])
        since = established_on or (
            timezone.localtime(recorded_at).date() if history else dt.date.min
        )
        history.append((since, status))
    return out


def disabled_on(history: list[tuple[dt.date, str]], day: dt.date) -> bool | None:
    """Whether the person had an established disability on ``day``; None when nothing was
    recorded in effect then (unknown, not «no»)."""
    status = status_on(history, day)
    return None if status is None else status in DISABLED
