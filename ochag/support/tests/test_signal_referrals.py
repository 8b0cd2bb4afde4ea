"""Referrals from a signal offered support: the handler refers the family with consent before
any case is opened; the signal's page shows them; the reporter never sees them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ochag.access.models import Agency, Notification, Role, User
from ochag.access.tests.factories import UserFactory
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.signals import intake
from ochag.signals.inputs import SignalInput
from ochag.signals.models import Basis, Channel, Signal, Track
from ochag.support import coverage
from ochag.support.models import (
    LegalBasis,
    Referral,
    ReferralStatus,
    SupportAction,
)
from ochag.support.services import referrals
from ochag.support.tests.conftest import SupportCast

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def make_offered(cast: Cast) -> Signal:
    """A school reports chronic low income: the signal is routed to social protection in A
    as an offer of support (the routing of ``bodies``)."""
    school = Agency.objects.get(name="Школа А")
    signal = intake.signal_create(
        actor=UserFactory(username="teacher", agency=school, role=Role.SCHOOL_SOCIAL_PEDAGOGUE),
        data=SignalInput(
            channel=Channel.STAFF,
            basis=Basis.DUTY_ART9,
            territory=cast.municipality_a,
            original_text="Семья просит помощи: денег не хватает на еду",
            indicator_codes=["low_income"],
        ),
    )
    assert signal.track == Track.SUPPORT and signal.routed_to is not None
    return signal


def make_handler(signal: Signal) -> User:
    return UserFactory(username="social_worker", agency=signal.routed_to, role=Role.CASE_CURATOR)


@pytest.fixture
def offered(cast: Cast, bodies: dict[str, Agency]) -> Signal:
    return make_offered(cast)


@pytest.fixture
def handler(offered: Signal) -> User:
    return make_handler(offered)


CONSENT = referrals.ConsentData(
    basis=LegalBasis.CONSENT,
    given_by="Иванова Мария Петровна",
    given_on=dt.date(2026, 11, 20),
    scope="Адрес и состав семьи",
)


def refer(signal: Signal, handler: User, sc: SupportCast) -> Referral:
    return referrals.referral_send_with_consent(
        actor=handler,
        signal=signal,
        service=sc.patronage,
        consent=CONSENT,
        summary="Мама с тремя детьми, доход ниже прожиточного минимума",
    )


def test_the_handler_refers_the_family_from_the_signal(
    sc: SupportCast, offered: Signal, handler: User, client_for: Clients
) -> None:
    client = client_for(handler)
    page = client.get(reverse("signals:detail", args=[offered.pk])).content.decode()
    assert "Направить семью на услугу" in page
    url = reverse("support:signal_referral_create", args=[offered.pk])
    form = client.get(url).content.decode()
    assert "Социальный патронат" in form and "Задача плана" not in form
    response = client.post(
        url,
        {
            "service": sc.patronage.pk,
            "summary": "Маме нужна помощь с бюджетом",
            "basis": LegalBasis.CONSENT,
            "given_by": "Иванова Мария Петровна",
            "given_on": "20.11.2026",
            "scope": "Адрес и состав семьи",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert (referral.signal, referral.case, referral.territory) == (
        offered,
        None,
        offered.territory,
    )
    assert referral.consent.signal == offered
    assert AuditEvent.objects.filter(action=SupportAction.REFERRAL_SENT).count() == 1
    page = client.get(reverse("signals:detail", args=[offered.pk])).content.decode()
    assert f"№ {referral.pk}: «Социальный патронат»" in page
    # The provider answers as for any referral; the handler may withdraw it.
    referrals.referral_answer(
        actor=sc.ngo_worker,
        referral=referral,
        expected_version=referral.version,
        status=ReferralStatus.WAITING,
    )
    # No case, no curator: the handler who sent the family is told of the answer.
    told = Notification.objects.get(kind="support.referral_answered")
    assert told.recipient == handler
    detail = client.get(reverse("support:referral", args=[referral.pk])).content.decode()
    assert reverse("signals:detail", args=[offered.pk]) in detail
    assert "Отозвать" in detail


def test_who_sees_and_who_may_refer(
    cast: Cast, sc: SupportCast, offered: Signal, handler: User, client_for: Clients
) -> None:
    referral = refer(offered, handler, sc)
    url = reverse("support:signal_referral_create", args=[offered.pk])
    assert Client().get(url).status_code == 302
    # Another municipality's worker does not see the signal at all.
    assert client_for(cast.worker_b).get(url).status_code == 404
    # The school that reported sees the signal's status, not where the family was sent.
    reporter = User.objects.get(username="teacher")
    assert client_for(reporter).get(url).status_code == 403
    detail = reverse("support:referral", args=[referral.pk])
    assert client_for(reporter).get(detail).status_code == 404
    signal_page = client_for(reporter).get(reverse("signals:detail", args=[offered.pk]))
    assert f"№ {referral.pk}" not in signal_page.content.decode()
    # The provider sees it in its queue; the coordinator sees it too.
    assert client_for(sc.ngo_worker).get(detail).status_code == 200
    assert client_for(cast.coordinator).get(detail).status_code == 200


def test_a_consent_serves_its_own_signal_only(
    cast: Cast, sc: SupportCast, offered: Signal, handler: User
) -> None:
    consent = referrals.consent_record(
        actor=handler,
        signal=offered,
        basis=CONSENT.basis,
        given_by=CONSENT.given_by,
        given_on=CONSENT.given_on,
        scope=CONSENT.scope,
    )
    other = intake.signal_create(
        actor=None,
        data=SignalInput(
            channel=Channel.STAFF,
            basis=Basis.DUTY_ART9,
            territory=cast.municipality_a,
            original_text="Другая семья",
            indicator_codes=["housing_debt"],
        ),
    )
    with pytest.raises(ValidationError, match="другой семьи"):
        referrals.referral_send(
            actor=handler, signal=other, service=sc.patronage, consent=consent, summary="—"
        )
    assert not Referral.objects.exists()


def test_the_family_counts_in_coverage(
    cast: Cast, sc: SupportCast, offered: Signal, handler: User
) -> None:
    refer(offered, handler, sc)
    table = coverage.coverage(cast.coordinator)
    _municipality, cells = next(row for row in table.rows if row[0] == cast.municipality_a)
    patronage = next(c for c in cells if c.type.code == "patronage")
    assert patronage.need == 1
