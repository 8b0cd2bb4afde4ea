"""Services that change cached configuration start a new generation in their transaction
(they used to rely on model save/delete receivers, which update() and bulk_create skip)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ochag.access import services as access_services
from ochag.access.models import AgencyType
from ochag.conftest import Cast
from ochag.core.generation import config_generation
from ochag.core.models import CalendarOverride
from ochag.core.services import calendar_override_delete, calendar_override_set
from ochag.signals.models import RoutingRule, Track
from ochag.signals.services import routing_rule_delete, routing_rule_save


def _bumps(change: Callable[[], object]) -> bool:
    before = config_generation()
    change()
    return config_generation() != before


def test_agency_services_bump(cast: Cast) -> None:
    def create() -> object:
        return access_services.agency_create(
            actor=cast.admin, name="Школа № 9", type=AgencyType.EDUCATION,
            territory=cast.municipality_a,
        )  # fmt: skip

    assert _bumps(create)
    assert _bumps(
        lambda: access_services.agency_update(actor=cast.admin, agency=cast.agency_a, name="Новое")
    )
    # Saving an agency with nothing changed is no change of configuration.
    assert not _bumps(
        lambda: access_services.agency_update(actor=cast.admin, agency=cast.agency_a, name="Новое")
    )


def test_calendar_services_bump(cast: Cast) -> None:
    day = dt.date(2026, 4, 21)
    set_day = lambda: calendar_override_set(  # noqa: E731
        actor=cast.coordinator, region=cast.region, date=day, is_working=False, reason="Радоница"
    )
    assert _bumps(set_day)
    override = CalendarOverride.objects.get(date=day)
    assert _bumps(lambda: calendar_override_delete(actor=cast.coordinator, override=override))


def test_routing_rule_services_bump(cast: Cast) -> None:
    rule = RoutingRule(
        region=cast.region, track=Track.ASSESSMENT, territory=cast.municipality_a,
        agency_type=AgencyType.GUARDIANSHIP, agency=cast.agency_a,
    )  # fmt: skip
    assert _bumps(lambda: routing_rule_save(actor=cast.coordinator, rule=rule))
    assert _bumps(lambda: routing_rule_delete(actor=cast.coordinator, rule=rule))
