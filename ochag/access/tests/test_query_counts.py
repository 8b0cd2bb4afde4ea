"""Core and access pages run as many queries with more rows as with fewer.

Each test adds rows the page lists (or shows on a detail page) and fails when the page's
query count grows with them (``ochag.core.testing.assert_queries_flat``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

from django.test import Client

from ochag.access.models import User
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.conftest import Cast
from ochag.core.models import AuditAction, CalendarOverride
from ochag.core.services import access_log_record, audit_record
from ochag.core.testing import assert_queries_flat


def test_audit_log(cast: Cast, client_for: Callable[[User], Client]) -> None:
    def add(n: int) -> None:
        for i in range(n):
            actor = UserFactory.create(agency=AgencyFactory.create(territory=cast.municipality_a))
            audit_record(actor=actor, action=AuditAction.LOGIN, obj=actor, detail={"i": i})

    assert_queries_flat(client_for(cast.coordinator), "/audit/", add)


def test_record_views_log(cast: Cast, client_for: Callable[[User], Client]) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            actor = UserFactory.create(agency=AgencyFactory.create(territory=cast.municipality_a))
            access_log_record(actor=actor, obj=cast.agency_a, purpose="проверка")

    assert_queries_flat(client_for(cast.admin), "/audit/views/", add)


def test_calendar(cast: Cast, client_for: Callable[[User], Client]) -> None:
    days = itertools.count()

    def add(n: int) -> None:
        for _ in range(n):
            day = dt.date(2026, 5, 4) + dt.timedelta(days=next(days))
            CalendarOverride.objects.create(
                region=cast.region, date=day, is_working=False, reason="день"
            )

    assert_queries_flat(client_for(cast.coordinator), "/calendar/", add)


def test_agency_list(cast: Cast, client_for: Callable[[User], Client]) -> None:
    def add(n: int) -> None:
        AgencyFactory.create_batch(n, territory=cast.municipality_b)

    assert_queries_flat(client_for(cast.admin), "/account/agencies/", add)


def test_agency_detail(cast: Cast, client_for: Callable[[User], Client]) -> None:
    def add(n: int) -> None:
        UserFactory.create_batch(n, agency=cast.agency_a)

    assert_queries_flat(client_for(cast.admin), f"/account/agencies/{cast.agency_a.pk}/", add)


def test_staff_list(cast: Cast, client_for: Callable[[User], Client]) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            UserFactory.create(agency=AgencyFactory.create(territory=cast.municipality_b))

    assert_queries_flat(client_for(cast.admin), "/account/staff/", add)
