"""Query counts of the support pages stay flat in their rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import count

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.cases.models import Case
from ochag.conftest import Cast
from ochag.core.testing import assert_queries_flat
from ochag.support.models import LegalBasis, ProviderKind, ReferralStatus, ServiceFormat
from ochag.support.services import directory, referrals
from ochag.support.tests.conftest import SupportCast, service_type

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]
_numbers = count()


def _add_services(cast: Cast, sc: SupportCast) -> Callable[[int], object]:
    def add(n: int) -> None:
        for _ in range(n):
            provider = directory.provider_create(
                actor=cast.coordinator,
                name=f"Центр {next(_numbers)}",
                kind=ProviderKind.KCSON,
                territory=cast.municipality_a,
                municipalities=[cast.municipality_a, cast.municipality_b],
                phone="+7 900 000-00-00",
            )
            directory.service_create(
                actor=cast.coordinator,
                provider=provider,
                type=service_type("legal-aid"),
                name="Юрист",
                format=ServiceFormat.DAY,
                capacity=3,
                indicators=["Консультация дана"],
            )
            directory.service_create(
                actor=cast.coordinator,
                provider=sc.provider,
                type=service_type("parenting"),
                name=f"Курс {next(_numbers)}",
                format=ServiceFormat.DAY,
                capacity=3,
                indicators=["Посещено 8 занятий"],
            )

    return add


def _add_referrals(case: Case, sc: SupportCast) -> Callable[[int], object]:
    def add(n: int) -> None:
        for _ in range(n):
            referral = referrals.referral_send_with_consent(
                actor=case.curator,
                case=case,
                service=sc.patronage,
                consent=referrals.ConsentData(
                    basis=LegalBasis.KDN, given_on=dt.date(2026, 11, 1), scope="Постановление"
                ),
                summary="Помощь",
                waiting_list_ok=True,
            )
            referrals.referral_answer(
                actor=sc.ngo_worker,
                referral=referral,
                expected_version=referral.version,
                status=ReferralStatus.WAITING,
            )

    return add


def test_directory_pages(cast: Cast, sc: SupportCast, client_for: Clients) -> None:
    add = _add_services(cast, sc)
    client = client_for(cast.coordinator)
    for url in (
        reverse("support:providers"),
        reverse("support:provider", args=[sc.provider.pk]),
        reverse("support:catalogue"),
    ):
        assert_queries_flat(client, url, add)
    assert_queries_flat(Client(), reverse("help:help"), add)


def test_referral_pages(sc: SupportCast, case: Case, client_for: Clients) -> None:
    add = _add_referrals(case, sc)
    curator = client_for(case.curator)
    assert_queries_flat(curator, reverse("support:referrals"), add)
    assert_queries_flat(curator, reverse("support:case", args=[case.pk]), add)
    assert_queries_flat(curator, reverse("cases:timeline", args=[case.pk]), add)
    assert_queries_flat(client_for(sc.ngo_worker), reverse("support:referrals") + "?for=us", add)
