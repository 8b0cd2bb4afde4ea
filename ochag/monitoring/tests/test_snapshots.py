"""The dashboards' kept counts: after a refresh every tile is the live number (and opens a
list of that many), a change shows after the next refresh, the analyst's suppression
applies to kept numbers, and whatever the snapshot lacks is counted live."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ochag.access.models import User
from ochag.cases.models import Case, Level
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.core.testing import assert_queries_flat
from ochag.monitoring import costs, services, snapshots, tasks
from ochag.monitoring.models import IndicatorRefresh, IndicatorSnapshot, MonitoringAction
from ochag.monitoring.periods import Period
from ochag.monitoring.selectors import Tile, dashboard, scope_for
from ochag.monitoring.services import CustomSpec
from ochag.monitoring.tests.conftest import MonitoringCast, at, make_signals
from ochag.monitoring.tests.test_views import _links, _list_count

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("monitoring:dashboard")


def _tiles(response: object) -> dict[str, Tile]:
    sections = response.context["sections"]  # type: ignore[attr-defined]
    return {t.indicator.code: t for _label, tiles in sections for t in tiles}


def _texts(tiles: dict[str, Tile]) -> dict[str, list[str]]:
    return {
        code: [t.value.text, t.previous.text, *(f.text for f in t.trend)]
        for code, t in tiles.items()
    }


def test_kept_tiles_are_the_live_ones_and_open_lists_of_that_many(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    services.indicator_values_refresh(region=cast.region)
    client = client_for(cast.coordinator)
    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    for period in ("2026", "2026-03", "2025", "2025-05", "2024"):
        response = client.get(DASHBOARD, {"period": period})
        assert response.context["kept"] is not None, period
        assert response.context["live_tiles"] == 0
        assert "Данные на" in response.content.decode()
        # Every figure of every tile equals the one read live.
        live = {t.indicator.code: t for t in dashboard(scope, Period.parse(period))}
        assert _texts(_tiles(response)) == _texts(live), period
        links = _links(response.content.decode())
        assert len(links) >= len(live)
        for url, shown in links:
            assert _list_count(client, url) == shown, url
        kept_costs = response.context["costs"].texts
        assert kept_costs == costs.compare(scope, Period.parse(period)).texts


def test_a_change_shows_after_the_next_refresh(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    services.indicator_values_refresh(region=cast.region)
    client = client_for(cast.coordinator)
    make_signals(cast, 4, when=at(2026, 3))

    def received() -> str:
        response = client.get(DASHBOARD, {"period": "2026"})
        return _tiles(response)["signals_received"].value.text

    assert received() == "12"  # as of the refresh; the list is live
    services.indicator_values_refresh(region=cast.region)
    assert received() == "16"
    head = client_for(mc.head_a)
    response = head.get(DASHBOARD, {"period": "2026"})
    assert response.context["kept"] is not None
    assert _tiles(response)["signals_received"].value.text == "13"
    for url, shown in _links(response.content.decode()):
        assert _list_count(head, url) == shown, url


def test_the_analyst_sees_kept_numbers_suppressed_and_no_list(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.analyst)
    live = client.get(DASHBOARD, {"period": "2026"})
    assert live.context["kept"] is None
    services.indicator_values_refresh(region=cast.region)
    kept = client.get(DASHBOARD, {"period": "2026"})
    assert kept.context["kept"] is not None
    tiles = _tiles(kept)
    assert _texts(tiles) == _texts(_tiles(live))
    assert tiles["families_sop"].value.hidden
    html = kept.content.decode()
    assert "менее 5" in html
    assert "/list/" not in html
    assert "Обновить сейчас" not in html


def test_without_a_snapshot_or_outside_it_numbers_are_counted_live(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.coordinator)
    response = client.get(DASHBOARD, {"period": "2026"})
    assert response.context["kept"] is None
    assert "посчитаны сейчас" in response.content.decode()
    assert _tiles(response)["signals_received"].value.text == "12"
    services.indicator_values_refresh(region=cast.region)
    # May 2024's trend reaches back into 2023, whose months no refresh keeps.
    older = client.get(DASHBOARD, {"period": "2024-05"})
    assert older.context["kept"] is None
    assert "посчитаны сейчас" in older.content.decode()
    # An indicator defined after the refresh is counted live, and the page says so.
    indicator = services.custom_indicator_save(
        actor=cast.coordinator,
        region=cast.region,
        spec=CustomSpec(
            name="Сообщения муниципалитета А",
            unit="сообщений",
            formula="Сообщения А",
            kind="count",
            up_is_good=None,
            numerator="signals_received",
            numerator_territory=cast.municipality_a,
        ),
    )
    response = client.get(DASHBOARD, {"period": "2026"})
    assert response.context["kept"] is not None
    assert response.context["live_tiles"] == 1
    assert _tiles(response)[indicator.code].value.text == "9"
    services.indicator_values_refresh(region=cast.region)
    response = client.get(DASHBOARD, {"period": "2026"})
    assert response.context["live_tiles"] == 0
    assert _tiles(response)[indicator.code].value.text == "9"


def test_a_state_is_kept_as_of_the_refresh(mc: MonitoringCast, cast: Cast) -> None:
    """A stock of the current period is read at the refresh's moment, not later."""
    services.indicator_values_refresh(region=cast.region)
    snapshot = IndicatorSnapshot.objects.get(territory=cast.region)
    assert snapshot.counts["families_sop"]["2026"] == 1
    Case.objects.filter(pk=mc.case_a.pk).update(level=Level.TZHS)
    kept = snapshots.kept_for(cast.region)
    assert kept is not None
    assert kept.counts_for(Period(2026), kept.taken_at)["families_sop"]["cur"] == 1
    services.indicator_values_refresh(region=cast.region)
    kept = snapshots.kept_for(cast.region)
    assert kept is not None
    assert kept.counts_for(Period(2026), kept.taken_at)["families_sop"]["cur"] == 0


def test_the_coordinator_asks_for_a_refresh_once(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    url = reverse("monitoring:refresh")
    client = client_for(cast.coordinator)
    assert client.get(url).status_code == 405
    response = client.post(url + "?period=2026")
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD + "?period=2026"
    refresh = IndicatorRefresh.objects.get(region=cast.region)
    assert refresh.state == IndicatorRefresh.State.QUEUED
    assert refresh.requested_by == cast.coordinator
    assert AuditEvent.objects.filter(action=MonitoringAction.REFRESH_REQUESTED).count() == 1
    queued = DBTaskResult.objects.filter(task_path=services.refresh_region.module_path)
    assert queued.count() == 1
    page = client.get(DASHBOARD).content.decode()
    assert "Идёт обновление" in page
    assert "Обновить сейчас" not in page
    client.post(url)  # already queued: nothing more
    assert queued.count() == 1
    assert AuditEvent.objects.filter(action=MonitoringAction.REFRESH_REQUESTED).count() == 1
    # What the worker runs.
    assert "s" in services.refresh_region.call(region_id=cast.region.pk)
    refresh.refresh_from_db()
    assert refresh.state == IndicatorRefresh.State.DONE
    assert refresh.taken_at is not None and refresh.seconds is not None
    assert services.refresh_region.call(region_id=cast.region.pk) == "refreshed since the request"
    assert "Обновить сейчас" in client.get(DASHBOARD).content.decode()
    for user in (mc.head_a, cast.analyst, cast.worker_a):
        assert client_for(user).post(url).status_code == 403


def test_a_running_refresh_is_not_doubled(mc: MonitoringCast, cast: Cast) -> None:
    services.indicator_values_refresh(region=cast.region)
    IndicatorRefresh.objects.filter(region=cast.region).update(
        state=IndicatorRefresh.State.RUNNING, started_at=at(2026, 12, 1)
    )
    # Started long ago: its worker died, so a new one runs.
    assert services.indicator_values_refresh(region=cast.region) is not None
    IndicatorRefresh.objects.filter(region=cast.region).update(
        state=IndicatorRefresh.State.RUNNING, started_at=timezone.now()
    )
    assert services.indicator_values_refresh(region=cast.region) is None


def test_the_periodic_refresh_queues_itself_once(mc: MonitoringCast, cast: Cast) -> None:
    assert tasks.schedule_refresh()
    assert not tasks.schedule_refresh()
    waiting = DBTaskResult.objects.filter(task_path=tasks.refresh_periodically.module_path)
    assert waiting.count() == 1
    tasks.refresh_periodically.call(reschedule=False)
    assert IndicatorSnapshot.objects.filter(territory=cast.region).exists()


def test_kept_dashboard_queries_are_few_and_flat(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    def add(n: int) -> None:
        make_signals(cast, n, when=at(2026, 7))
        services.indicator_values_refresh(region=cast.region)

    for user in (cast.coordinator, mc.head_a):
        count = assert_queries_flat(client_for(user), DASHBOARD + "?period=2026", add)
        # The session, the user and the frame (~10); the region's own indicators, the kept
        # counts, the refresh's state, the targets: one each.
        assert count <= 14, count
