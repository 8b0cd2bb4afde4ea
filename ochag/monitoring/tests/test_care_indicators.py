"""Children-in-care indicators: every number equals its list; 0–4 apart; returns home."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.care import counts
from ochag.care.models import AgendaItem, Ground, LegalStatus, Outcome
from ochag.care.services import placements
from ochag.care.tests.conftest import CareCast, care  # noqa: F401 - fixture
from ochag.conftest import Cast
from ochag.monitoring.care_indicators import CARE_INDICATORS
from ochag.monitoring.periods import Period
from ochag.monitoring.selectors import dashboard, scope_for
from ochag.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CODES = [i.code for i in CARE_INDICATORS]


def test_care_indicators_agree_with_their_lists(
    care: CareCast,  # noqa: F811
    cast: Cast,
    client_for: Callable[[User], Client],
) -> None:
    def admit(birth_year: int, on: dt.date, institution: object) -> object:
        child = PersonFactory(birth_year=birth_year, territory=cast.municipality_a)
        return placements.placement_admit(
            actor=cast.coordinator,
            child=child,
            institution=institution,  # type: ignore[arg-type]
            admitted_on=on,
            ground=Ground.PARENTS_REQUEST,
            act_number="1",
            act_date=on,
            family_territory=cast.municipality_a,
            legal_status=LegalStatus.WITH_RIGHTS,
        )

    infant = admit(2025, dt.date(2026, 2, 1), care.home)
    admit(2015, dt.date(2024, 5, 1), care.home)
    teen = admit(2012, dt.date(2026, 3, 1), care.shelter)
    placements.placement_discharge(
        actor=cast.coordinator,
        placement=teen,
        discharged_on=dt.date(2026, 6, 1),
        outcome=Outcome.HOME,
    )
    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    tiles = {t.indicator.code: t for t in dashboard(scope, Period(2026), codes=CODES)}
    assert tiles["in_care"].value.value == 2
    assert tiles["in_care_0_4"].value.value == 1
    assert tiles["in_care_over_year"].value.value == 1
    assert tiles["admissions"].value.value == 2
    assert tiles["returns_home"].value.value == 1
    may = {t.indicator.code: t for t in dashboard(scope, Period(2026, 5), codes=CODES)}
    assert may["in_care"].value.value == 3
    assert infant is not None
    client = client_for(cast.coordinator)
    for code in CODES:
        page = client.get(reverse("monitoring:indicator", args=[code]), {"period": "2026"})
        figures = [page.context["tile"].value, *page.context["tile"].trend]
        figures += [r.figure for r in page.context["municipalities"]]
        for _dimension, rows in page.context["breakdowns"]:
            figures += [r.figure for r in rows]
        for figure in figures:
            if figure.url:
                listing = client.get(figure.url)
                assert listing.context["table"].page.paginator.count == figure.value, figure.url


def test_reviews_on_time_agree_with_care_counts_and_their_lists(
    care: CareCast,  # noqa: F811
    cast: Cast,
    client_for: Callable[[User], Client],
) -> None:
    reviews = []
    for month in (2, 3, 4):
        on = dt.date(2026, month, 2)
        placement = placements.placement_admit(
            actor=cast.coordinator,
            child=PersonFactory(birth_year=2016, territory=cast.municipality_a),
            institution=care.home,
            admitted_on=on,
            ground=Ground.PARENTS_REQUEST,
            act_number="1",
            act_date=on,
            family_territory=cast.municipality_a,
            legal_status=LegalStatus.WITH_RIGHTS,
        )
        reviews.append(AgendaItem.objects.get(placement=placement))
    # Test setup: the review's completion date is what is counted; the commission's own
    # flow (sitting, decision, confirmations) is care's and tested there.
    on_time, late, undone = reviews
    AgendaItem.objects.filter(pk=on_time.pk).update(done_on=on_time.due_on)
    AgendaItem.objects.filter(pk=late.pk).update(done_on=late.due_on + dt.timedelta(days=3))
    assert undone.done_on is None
    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    codes = ["reviews_done", "reviews_on_time", "reviews_on_time_share"]
    tiles = {t.indicator.code: t for t in dashboard(scope, Period(2026), codes=codes)}
    assert tiles["reviews_done"].value.value == 2
    assert tiles["reviews_on_time"].value.value == 1
    assert tiles["reviews_on_time_share"].value.value == 50
    # The same figures care offers other apps.
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert counts.reviews_on_time(cast.coordinator, *year) == (1, 2)
    client = client_for(cast.coordinator)
    for code in codes[:2]:
        page = client.get(reverse("monitoring:indicator", args=[code]), {"period": "2026"})
        figures = [page.context["tile"].value, *page.context["tile"].trend]
        figures += [r.figure for r in page.context["municipalities"]]
        for _dimension, rows in page.context["breakdowns"]:
            figures += [r.figure for r in rows]
        assert any(f.url and f.value for f in figures)
        for figure in figures:
            if figure.url:
                listing = client.get(figure.url)
                assert listing.context["table"].page.paginator.count == figure.value, figure.url
