"""Shared by the case services: terms, deadlines, participation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from ochag.access.models import Agency
from ochag.cases.models import (
    Case,
    CaseParticipant,
)
from ochag.registry.models import Household, MemberRole, Person
from ochag.signals.models import Signal

# Monthly reports by default (Perm's practice, domain §5 row 6); a region sets its own.
DEFAULT_MONITORING_MONTHS = 1
COURT_CLAIM_DAYS = 7
COURT_CLAIM_SOURCE = "СК РФ, ст. 77, п. 2"
# Marks the review tasks monitoring reports create, so the next report closes the last one.
MONITORING_SOURCE = "Региональный порядок мониторинга"


def monitoring_months() -> int:
    return int(getattr(settings, "OCHAG_CASES_MONITORING_MONTHS", DEFAULT_MONITORING_MONTHS))


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, dom)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def children_of(household: Household) -> list[Person]:
    return [
        m.person
        for m in household.memberships.filter(role=MemberRole.CHILD, until__isnull=True)
        .select_related("person")
        .order_by("person__birth_year", "person__last_name")
    ]


def signal_label(signal: Signal) -> str:
    received = timezone.localtime(signal.received_at).strftime("%d.%m.%Y")
    return f"{signal.number}, {signal.get_channel_display()}, {received}"[:300]


def participate(case: Case, agency: Agency | None) -> None:
    if agency is not None:
        CaseParticipant.objects.get_or_create(case=case, agency=agency)
