"""Referral indicators: made, waiting, unmet, completed, each equal to its list."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.cases.models import Case
from ochag.cases.tests.conftest import case, cc  # noqa: F401 - fixtures used by these tests
from ochag.conftest import Cast
from ochag.core.clock import as_of
from ochag.monitoring.periods import Period
from ochag.monitoring.selectors import dashboard, scope_for
from ochag.monitoring.tests.conftest import at
from ochag.support.models import ReferralStatus
from ochag.support.services import referrals
from ochag.support.tests.conftest import SupportCast, sc  # noqa: F401 - fixture
from ochag.support.tests.test_services import consent_for, send

pytestmark = pytest.mark.django_db

CODES = ["referrals_made", "referrals_waiting", "referrals_unmet", "referrals_completed"]


def test_referral_indicators_agree_with_their_lists(
    case: Case,  # noqa: F811
    sc: SupportCast,  # noqa: F811
    cast: Cast,
    client_for: Callable[[User], Client],
) -> None:
    consent = dataclasses.replace(consent_for(case), given_on=dt.date(2026, 3, 1))
    with as_of(at(2026, 3)):
        waiting = send(case, sc, consent=consent)
        declined = send(case, sc, service=sc.patronage, consent=consent)
    with as_of(at(2026, 4)):
        referrals.referral_answer(
            actor=sc.ngo_worker,
            referral=declined,
            expected_version=declined.version,
            status=ReferralStatus.DECLINED,
            reason="Нет мест",
        )
    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    tiles = {t.indicator.code: t for t in dashboard(scope, Period(2026), codes=CODES)}
    assert tiles["referrals_made"].value.value == 2
    assert tiles["referrals_waiting"].value.value == 1
    assert tiles["referrals_unmet"].value.value == 1
    assert tiles["referrals_completed"].value.value == 0
    march = {t.indicator.code: t for t in dashboard(scope, Period(2026, 3), codes=CODES)}
    assert march["referrals_waiting"].value.value == 2
    assert waiting.status == ReferralStatus.SENT
    client = client_for(cast.coordinator)
    for code in CODES:
        page = client.get(reverse("monitoring:indicator", args=[code]), {"period": "2026"})
        for figure in [page.context["tile"].value] + [
            r.figure for r in page.context["municipalities"]
        ]:
            if figure.url:
                listing = client.get(figure.url)
                assert listing.context["table"].page.paginator.count == figure.value
