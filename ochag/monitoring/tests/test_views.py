"""Dashboards, indicator pages and lists: every number opens a list of exactly that many
records; who sees what."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.conftest import Cast
from ochag.core.testing import assert_queries_flat
from ochag.monitoring import indicators
from ochag.monitoring.indicators import Count
from ochag.monitoring.tests.conftest import MonitoringCast, at, make_signals

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("monitoring:dashboard")
LINK = re.compile(r'href="(/monitoring/indicators/[a-z0-9_]+/list/\?[^"]+)">([^<]+)</a>')


def _number(text: str) -> int:
    return int(text.replace("\xa0", "").replace(" ", ""))


def _list_count(client: Client, url: str) -> int:
    response = client.get(url.replace("&amp;", "&"))
    assert response.status_code == 200, url
    return int(response.context["table"].page.paginator.count)


def _links(html: str) -> list[tuple[str, int]]:
    return [(url, _number(text)) for url, text in LINK.findall(html)]


def test_every_number_on_the_dashboard_opens_a_list_of_that_many(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.coordinator)
    for period in ("2026", "2026-03", "2025"):
        html = client.get(DASHBOARD, {"period": period}).content.decode()
        links = _links(html)
        assert len(links) >= len(indicators.all_indicators())
        for url, shown in links:
            assert _list_count(client, url) == shown, url


@pytest.mark.parametrize("code", [i.code for i in indicators.all_indicators()])
def test_every_number_on_an_indicator_page_opens_a_list_of_that_many(
    code: str, mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    """Tile, previous period, every month of the trend, every municipality, every breakdown."""
    client = client_for(cast.coordinator)
    response = client.get(reverse("monitoring:indicator", args=[code]), {"period": "2026"})
    assert response.status_code == 200
    links = _links(response.content.decode())
    assert links
    for url, shown in links:
        assert _list_count(client, url) == shown, url


def test_the_figures_are_what_the_cast_holds(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    from ochag.monitoring.periods import Period
    from ochag.monitoring.selectors import dashboard, scope_for

    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    tiles = {t.indicator.code: t for t in dashboard(scope, Period(2026))}
    assert tiles["signals_received"].value.value == 12
    assert tiles["signals_received"].previous.value == 6
    assert tiles["signals_routed"].value.value == 12
    assert tiles["signals_on_time"].value.value == 10
    assert tiles["signals_on_time_share"].value.text.startswith("83,3")
    assert tiles["families_sop"].value.value == 1
    assert tiles["children_sop"].value.value == 2
    assert tiles["families_tzhs"].value.value == 1
    assert tiles["cases_opened"].value.value == 2
    assert tiles["cases_closed"].value.value == 1
    assert tiles["cases_reopened"].value.value == 1
    assert tiles["tasks_overdue"].value.value == 1
    assert tiles["dq_signal_no_birth_date"].value.value == 1
    # In March: the family of B had no case yet, the SOP family's task was not yet due
    # on the 6th, but overdue by the end of March.
    march = {t.indicator.code: t for t in dashboard(scope, Period(2026, 3))}
    assert march["families_tzhs"].value.value == 0
    assert march["tasks_overdue"].value.value == 1
    assert march["signals_received"].value.value == 9
    # The TZhS family, opened in April, was closed in June and re-opened in August.
    assert [f.value for f in tiles["families_tzhs"].trend[3:8]] == [1, 1, 0, 0, 1]


def test_municipality_head_sees_their_municipality_only(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(mc.head_a)
    response = client.get(DASHBOARD, {"period": "2026"})
    assert response.status_code == 200
    assert response.context["scope"].territory == cast.municipality_a
    tiles = {t.indicator.code: t for s in response.context["sections"] for t in s[1]}
    assert tiles["signals_received"].value.value == 9
    other = client.get(DASHBOARD, {"territory": cast.municipality_b.pk})
    assert other.status_code == 404
    region = client.get(DASHBOARD, {"territory": cast.region.pk})
    assert region.status_code == 404
    url = reverse("monitoring:list", args=["signals_received"])
    assert client.get(url, {"territory": cast.municipality_b.pk}).status_code == 404
    assert client.get(url, {"period": "2026"}).status_code == 200


def test_coordinator_narrows_to_a_municipality(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.coordinator)
    response = client.get(DASHBOARD, {"period": "2026", "territory": cast.municipality_b.pk})
    tiles = {t.indicator.code: t for s in response.context["sections"] for t in s[1]}
    assert tiles["signals_received"].value.value == 3


@pytest.mark.parametrize("name", ["worker_a", "supervisor_a", "admin"])
def test_staff_without_dashboards_get_403(
    name: str, mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(getattr(cast, name))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(reverse("monitoring:indicator", args=["cases_opened"])).status_code == 403
    assert client.get(reverse("monitoring:list", args=["cases_opened"])).status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    for url in (
        DASHBOARD,
        reverse("monitoring:indicator", args=["cases_opened"]),
        reverse("monitoring:list", args=["cases_opened"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login" in response["Location"]


def test_unknown_indicator_and_foreign_territory_are_404(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.coordinator)
    assert client.get(reverse("monitoring:indicator", args=["nope"])).status_code == 404
    share = reverse("monitoring:list", args=["signals_on_time_share"])
    assert client.get(share).status_code == 404
    assert client.get(DASHBOARD, {"territory": "999999"}).status_code == 404
    assert client.get(DASHBOARD, {"territory": "x"}).status_code == 404


def test_analyst_sees_aggregates_suppressed_and_no_list_ever(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.analyst)
    response = client.get(DASHBOARD, {"period": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "/list/" not in html
    tiles = {t.indicator.code: t for s in response.context["sections"] for t in s[1]}
    assert tiles["signals_received"].value.text == "12"
    assert tiles["families_sop"].value.hidden
    assert "менее 5" in html
    detail = client.get(
        reverse("monitoring:indicator", args=["signals_received"]), {"period": "2026"}
    )
    assert detail.status_code == 200
    assert "/list/" not in detail.content.decode()
    for code in [i.code for i in indicators.all_indicators() if isinstance(i, Count)]:
        assert client.get(reverse("monitoring:list", args=[code])).status_code == 403
    # Municipality B's 3 signals are hidden, and so is A's 9 (else 12 − 9 would tell).
    rows = {r.label: r.figure for r in detail.context["municipalities"]}
    assert rows[cast.municipality_b.name].hidden
    assert rows[cast.municipality_a.name].hidden
    assert detail.context["municipal_total"].text == "12"
    # The months add up to the year's total: May's 3 is not hidden alone.
    trend = detail.context["tile"].trend
    assert trend[4].hidden and sum(f.hidden for f in trend) == 2
    assert not trend[2].hidden


def test_dashboard_queries_do_not_grow_with_records(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.coordinator)
    count = assert_queries_flat(
        client,
        DASHBOARD + "?period=2026",
        lambda n: make_signals(cast, n, when=at(2026, 7)),
    )
    # One aggregate query per count indicator (value, previous period and twelve months
    # together), one for the targets, one for the region's own indicators; the six
    # families/children-at-a-level counts read every month at once in two or three queries
    # each (``cases.figures.open_counts``); the cost comparison four; the rest is the
    # session, the user and the page's frame.
    counts = [i for i in indicators.all_indicators() if isinstance(i, Count)]
    assert count <= len(counts) + 1 + 3 * 1 + 3 * 2 + 4 + 10, count


def test_municipality_dashboard_and_audit_queries_do_not_grow_with_records(
    mc: MonitoringCast, cast: Cast, client_for: Callable[[User], Client]
) -> None:
    """The municipality head's dashboard runs as many queries as the coordinator's for the
    same indicators (one territory instead of a region), and the risk-score audit a fixed
    number whatever the rows; both pinned."""
    head = client_for(mc.head_a)
    count = assert_queries_flat(
        head, DASHBOARD + "?period=2026", lambda n: make_signals(cast, n, when=at(2026, 7))
    )
    counts = [i for i in indicators.all_indicators() if isinstance(i, Count)]
    assert count <= len(counts) + 1 + 3 * 1 + 3 * 2 + 4 + 10, count

    def assess(n: int) -> None:
        from ochag.cases.models import RiskAssessment
        from ochag.core.clock import as_of

        for case in (mc.case_a, mc.case_b):
            for _i in range(n):
                with as_of(at(2026, 7)):
                    RiskAssessment.objects.create(
                        case=case,
                        score=9,
                        proposed_level="tzhs",
                        level="tzhs",
                        contributions=[{"code": "child_truancy"}],
                        assessed_by=cast.coordinator,
                    )

    audit = assert_queries_flat(
        client_for(cast.coordinator), reverse("monitoring:risk_audit") + "?period=2026", assess
    )
    # The session, the user and the frame; nine reads of the facts; the municipalities' names.
    assert audit <= 20, audit
