"""The cost of a family-month of support, as the care app reads it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ochag.conftest import Cast
from ochag.support import selectors
from ochag.support.models import ServiceFormat
from ochag.support.services import directory
from ochag.support.tests.conftest import SupportCast, service_type

pytestmark = pytest.mark.django_db


def set_cost(sc: SupportCast, cast: Cast) -> None:
    for service, cost in ((sc.early_help, "12000"), (sc.patronage, "8000"), (sc.rehab, "20000")):
        directory.service_update(
            actor=cast.coordinator,
            service=service,
            expected_version=service.version,
            indicators=[i.name for i in service.indicators.all()],
            cost_per_family_month=Decimal(cost),
        )


def test_costs_by_type_are_weighted_by_places(sc: SupportCast, cast: Cast) -> None:
    set_cost(sc, cast)
    directory.service_create(
        actor=cast.coordinator,
        provider=sc.clinic_provider,
        type=service_type("patronage"),
        name="Патронат при поликлинике",
        format=ServiceFormat.HOME,
        capacity=15,
        cost_per_family_month=Decimal("4000"),
    )
    costs = {c.type_code: c for c in selectors.service_costs(cast.coordinator)}
    assert costs["patronage"].services == 2
    assert costs["patronage"].places == 20
    # (5 × 8000 + 15 × 4000) / 20
    assert costs["patronage"].mean == Decimal("5000.00")
    assert (costs["patronage"].minimum, costs["patronage"].maximum) == (
        Decimal("4000"),
        Decimal("8000"),
    )
    # 1 × 12000 + 5 × 8000 + 15 × 4000 + 3 × 20000 over 24 places
    assert selectors.family_support_cost(cast.coordinator) == Decimal("7166.67")


def test_costs_follow_the_municipality_and_the_types_asked(sc: SupportCast, cast: Cast) -> None:
    set_cost(sc, cast)
    in_a = selectors.service_costs(cast.coordinator, territory=cast.municipality_a)
    assert {c.type_code for c in in_a} == {"early-help", "patronage"}
    assert selectors.family_support_cost(
        cast.coordinator, type_codes=["rehabilitation"]
    ) == Decimal("20000.00")


def test_no_cost_is_none_and_strangers_see_nothing(sc: SupportCast, cast: Cast) -> None:
    assert selectors.service_costs(cast.coordinator) == []
    assert selectors.family_support_cost(cast.coordinator) is None
    set_cost(sc, cast)
    assert selectors.family_support_cost(sc.stranger) is None
