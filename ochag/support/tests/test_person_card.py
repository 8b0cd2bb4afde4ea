"""Support's section of the person card: the referrals of the family's cases, as far as the
referral policy lets the viewer see them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.cases.models import Case
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import Cast
from ochag.registry.models import Person
from ochag.support.tests.conftest import SupportCast
from ochag.support.tests.test_views import referral_for

pytestmark = pytest.mark.django_db


def test_card_lists_the_familys_referrals_to_those_who_see_them(
    cast: Cast, cc: CaseCast, sc: SupportCast, case: Case, client_for: Callable[[User], Client]
) -> None:
    referral = referral_for(case, sc.patronage)
    mother = Person.objects.get(first_name="Вера", last_name="Петрова")
    url = reverse("registry:person_detail", args=[mother.pk])
    label = f"Направление № {referral.pk} в «Социальный патронат»"
    link = reverse("support:referral", args=[referral.pk])

    curator = client_for(cc.curator).get(url).content.decode()
    assert "Направления на помощь" in curator and label in curator and link in curator
    bystander = client_for(cast.worker_a).get(url).content.decode()
    assert label not in bystander and "Нет направлений, доступных вам" in bystander
