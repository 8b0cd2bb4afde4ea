"""The banner's grant lookup: one query for a person and their households together."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from ochag.access.breakglass import live_grant
from ochag.access.models import BreakGlass, User
from ochag.conftest import Cast

pytestmark = pytest.mark.django_db


def _grant(cast: Cast, user: User, kind: str, record_id: int, hours: float) -> BreakGlass:
    now = timezone.now()
    return BreakGlass.objects.create(
        user=user, agency=user.agency, kind=kind, record_id=record_id,
        territory=cast.municipality_a, reason="угроза жизни", started_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )  # fmt: skip


def test_the_person_grant_wins_over_a_longer_household_grant_in_one_query(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    user = cast.worker_b
    household = _grant(cast, user, "household", 7, hours=3)
    person = _grant(cast, user, "person", 40, hours=1)
    _grant(cast, user, "household", 8, hours=3)  # a household the person is not in
    _grant(cast, cast.worker_a, "person", 40, hours=3)  # someone else's grant
    records = {"person": [40], "household": [7, 9]}
    with django_assert_num_queries(1):
        assert live_grant(user, records) == person
    with django_assert_num_queries(1):
        assert live_grant(user, {"person": [41], "household": [7, 9]}) == household
    person.expires_at = timezone.now() - dt.timedelta(minutes=1)
    person.save()
    assert live_grant(user, records) == household


def test_no_records_no_query_and_no_grant(cast: Cast, django_assert_num_queries: Any) -> None:
    _grant(cast, cast.worker_b, "person", 40, hours=3)
    with django_assert_num_queries(0):
        assert live_grant(cast.worker_b, {"person": [], "household": []}) is None
    assert live_grant(cast.worker_b, {"household": [40]}) is None
