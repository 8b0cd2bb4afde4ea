"""A signal that led to no case goes after its term with the referrals made from it (they
hold it, so they go first); a referral of an open signal stays."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from ochag.conftest import Cast
from ochag.registry.tests.factories import HouseholdFactory
from ochag.signals.models import Signal, Status
from ochag.signals.tests.factories import report_about
from ochag.support.models import Consent, LegalBasis, Referral
from ochag.support.services import referrals
from ochag.support.tests.conftest import SupportCast

pytestmark = pytest.mark.django_db


def referred_signal(cast: Cast, sc: SupportCast, status: str) -> Signal:
    signal = report_about(
        cast.agency_a,
        HouseholdFactory(territory=cast.municipality_a),
        status=status,
        received_at=timezone.now() - dt.timedelta(days=4 * 365),
    )
    referrals.referral_send_with_consent(
        actor=cast.coordinator,
        signal=signal,
        service=sc.patronage,
        consent=referrals.ConsentData(
            basis=LegalBasis.CONSENT, given_by="Мать", given_on=dt.date(2022, 1, 10), scope="—"
        ),
        summary="Помощь семье",
    )
    return signal


def test_referrals_go_with_their_signal(
    cast: Cast, sc: SupportCast, django_capture_on_commit_callbacks: Any
) -> None:
    old = referred_signal(cast, sc, Status.CLOSED)
    still_open = referred_signal(cast, sc, Status.ACCEPTED)
    plan = StringIO()
    call_command("retention", stdout=plan)
    assert "signals_without_case_referrals" in plan.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention", "--apply", stdout=StringIO())
    assert not Signal.objects.filter(pk=old.pk).exists()
    assert list(Referral.objects.values_list("signal_id", flat=True)) == [still_open.pk]
    assert list(Consent.objects.values_list("signal_id", flat=True)) == [still_open.pk]
