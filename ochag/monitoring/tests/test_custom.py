"""Regional indicators the coordinator defines: validated, audited, shown on the dashboards
like the shipped ones, every number opening a list of that many; other regions never see
them; only the coordinator defines them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ochag.access.models import AgencyType, Role, User
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.conftest import Cast
from ochag.core.models import AuditEvent, Territory
from ochag.core.tests.factories import TerritoryFactory
from ochag.monitoring import services
from ochag.monitoring.models import CustomIndicator, MonitoringAction
from ochag.monitoring.periods import Period
from ochag.monitoring.selectors import dashboard, scope_for
from ochag.monitoring.services import CustomSpec
from ochag.monitoring.tests.conftest import MonitoringCast
from ochag.monitoring.tests.test_views import _links, _list_count
from ochag.signals.models import Channel

pytestmark = pytest.mark.django_db
NEW = reverse("monitoring:custom_new")


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Сообщения по телефону доверия",
        "unit": "сообщений",
        "formula": "Сообщения, поступившие по телефону доверия",
        "kind": "count",
        "direction": "up",
        "numerator": "signals_received",
        "numerator_filter": f"channel:{Channel.HELPLINE}",
    }
    return data | overrides


def test_coordinator_defines_a_count_shown_like_a_shipped_one(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.coordinator)
    page = client.get(NEW)
    assert page.status_code == 200
    # Choosing the count and asking for its filters saves nothing.
    refreshed = client.post(NEW, _form(refresh="1", numerator_filter=""))
    assert refreshed.status_code == 200 and not CustomIndicator.objects.exists()
    assert f"channel:{Channel.HELPLINE}" in refreshed.content.decode()
    response = client.post(NEW, _form())
    assert response.status_code == 302, response.context["form"].errors
    indicator = CustomIndicator.objects.get()
    assert response["Location"].startswith(reverse("monitoring:indicator", args=[indicator.code]))
    assert AuditEvent.objects.filter(action=MonitoringAction.CUSTOM_SAVED).count() == 1
    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    tiles = {t.indicator.code: t for t in dashboard(scope, Period(2026))}
    assert tiles[indicator.code].value.value == 2  # the cast's two helpline signals
    assert tiles[indicator.code].indicator.up_is_good is True
    # Every number of its page (months, municipalities, breakdowns) opens that many.
    detail = client.get(reverse("monitoring:indicator", args=[indicator.code]), {"period": "2026"})
    assert detail.status_code == 200
    links = _links(detail.content.decode())
    assert links
    for url, shown in links:
        assert _list_count(client, url) == shown, url
    # And on the dashboard.
    html = client.get(reverse("monitoring:dashboard"), {"period": "2026"}).content.decode()
    assert "Сообщения по телефону доверия" in html
    mine = [(u, n) for u, n in _links(html) if f"/{indicator.code}/" in u]
    assert mine and all(_list_count(client, u) == n for u, n in mine)
    # Targets work as for a shipped indicator.
    targets = reverse("monitoring:targets", args=[indicator.code])
    saved = client.post(targets, {"territory": cast.region.pk, "year": 2026, "value": "3"})
    assert saved.status_code == 302
    tile = dashboard(scope, Period(2026), codes=[indicator.code])[0]
    assert tile.target_text == "3"


def test_a_ratio_narrowed_to_a_municipality(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    indicator = services.custom_indicator_save(
        actor=cast.coordinator,
        region=cast.region,
        spec=CustomSpec(
            name="Доля сообщений муниципалитета А",
            unit="%",
            formula="Сообщения А ÷ все сообщения × 100",
            kind="ratio",
            up_is_good=None,
            numerator="signals_received",
            numerator_territory=cast.municipality_a,
            denominator="signals_received",
        ),
    )
    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    tile = dashboard(scope, Period(2026), codes=[indicator.code])[0]
    assert tile.value.text.startswith("75,0")  # 9 of 12
    client = client_for(cast.coordinator)
    detail = client.get(reverse("monitoring:indicator", args=[indicator.code]), {"period": "2026"})
    assert detail.status_code == 200
    links = _links(detail.content.decode())
    assert {n for _u, n in links} >= {9, 12}
    for url, shown in links:
        assert _list_count(client, url) == shown, url


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": " "}, "name"),
        ({"numerator": "dq_care_no_overseer"}, "count"),
        ({"numerator_filter": "ground:causes_removed"}, "filter"),
        ({"numerator_filter": "channel:pigeon"}, "filter"),
        (
            {
                "kind": "ratio",
                "denominator": "signals_received",
                "denominator_filter": f"channel:{Channel.HELPLINE}",
            },
            "different",
        ),
        ({"kind": "ratio", "denominator": "nope"}, "count"),
    ],
)
def test_definitions_are_validated(
    change: dict[str, str], message: str, mc: MonitoringCast, cast: Cast
) -> None:
    fields = {
        "name": "Показатель",
        "unit": "шт.",
        "formula": "Так считается",
        "kind": "count",
        "up_is_good": None,
        "numerator": "signals_received",
        "numerator_filter": f"channel:{Channel.HELPLINE}",
    } | change
    with pytest.raises(ValidationError):
        services.custom_indicator_save(
            actor=cast.coordinator,
            region=cast.region,
            spec=CustomSpec(**fields),  # type: ignore[arg-type]
        )
    assert not CustomIndicator.objects.exists()


def test_names_are_unique_and_changes_need_the_current_version(
    mc: MonitoringCast, cast: Cast
) -> None:
    spec = CustomSpec(
        name="Ранняя помощь",
        unit="семей",
        formula="Семьи",
        kind="count",
        up_is_good=True,
        numerator="families_early",
    )
    first = services.custom_indicator_save(actor=cast.coordinator, region=cast.region, spec=spec)
    with pytest.raises(ValidationError):
        services.custom_indicator_save(actor=cast.coordinator, region=cast.region, spec=spec)
    services.custom_indicator_save(
        actor=cast.coordinator,
        region=cast.region,
        spec=spec,
        indicator=first,
        expected_version=1,
    )
    with pytest.raises(ValidationError):
        services.custom_indicator_save(
            actor=cast.coordinator,
            region=cast.region,
            spec=spec,
            indicator=first,
            expected_version=1,
        )


def test_retired_and_foreign_indicators_are_not_shown(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    indicator = services.custom_indicator_save(
        actor=cast.coordinator,
        region=cast.region,
        spec=CustomSpec(
            name="Открытые дела",
            unit="дел",
            formula="Дела",
            kind="count",
            up_is_good=None,
            numerator="cases_opened",
        ),
    )
    url = reverse("monitoring:indicator", args=[indicator.code])
    # A municipality's head of the region sees it; the analyst too, suppressed.
    assert client_for(mc.head_a).get(url).status_code == 200
    assert client_for(cast.analyst).get(url).status_code == 200
    # Another region's coordinator does not.
    other = TerritoryFactory(
        name="Соседняя область", level=Territory.Level.REGION, parent=cast.region.parent
    )
    ministry = AgencyFactory(name="Минсоц соседей", type=AgencyType.MINISTRY, territory=other)
    neighbour = UserFactory(username="neighbour", agency=ministry, role=Role.REGIONAL_COORDINATOR)
    assert client_for(neighbour).get(url).status_code == 404
    assert (
        client_for(neighbour)
        .get(reverse("monitoring:custom_edit", args=[indicator.pk]))
        .status_code
        == 404
    )
    client = client_for(cast.coordinator)
    retire = reverse("monitoring:custom_retire", args=[indicator.pk])
    assert client_for(mc.head_a).post(retire).status_code == 403
    assert client.post(retire).status_code == 302
    assert AuditEvent.objects.filter(action=MonitoringAction.CUSTOM_RETIRED).count() == 1
    assert client.get(url).status_code == 404
    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    assert indicator.code not in {t.indicator.code for t in dashboard(scope, Period(2026))}


@pytest.mark.parametrize("name", ["worker_a", "analyst"])
def test_only_the_coordinator_defines_indicators(
    name: str, mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(getattr(cast, name))
    assert client.get(reverse("monitoring:custom_list")).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _form()).status_code == 403
    assert client_for(cast.coordinator).get(reverse("monitoring:custom_list")).status_code == 200
