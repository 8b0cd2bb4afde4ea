"""What other apps count from the registry, without a user (the counts are scoped by the
territory of the records they start from; monitoring's policy decides who sees them): the
members of given households, and the disability status of the children the risk audit
follows (aggregated there, never listed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from ochag.registry.disability import DISABLED, PersonDisability, status_on
from ochag.registry.models import MemberRole, Membership


def child_memberships_of(household_ids: QuerySet[Any]) -> QuerySet[Membership]:
    """The child-role memberships (past and present) of the households (a subquery of ids),
    person and household's territory loaded: one row per child and household."""
    return Membership.objects.filter(
        role=MemberRole.CHILD, household_id__in=household_ids
    ).select_related("person", "household__territory")


def household_members(household_ids: Iterable[int]) -> list[Any]:
    """The households' members: role, the dates the membership ran, and for each person
    only sex and date of birth (no names)."""
    return list(
        Membership.objects.filter(household_id__in=household_ids)
        .order_by()
        .values(
            "household_id",
            "person_id",
            "role",
            "since",
            "until",
            sex=F("person__sex"),
            birth_year=F("person__birth_year"),
            birth_month=F("person__birth_month"),
            birth_day=F("person__birth_day"),
        )
    )


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
