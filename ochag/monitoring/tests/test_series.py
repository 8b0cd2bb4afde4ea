"""The families/children-at-a-level indicators read every window at once (``series``):
each count equals the list's count for that window, with a case closed and re-opened, a
second case of the same family opened while the first was closed, and both at one level."""

from __future__ import annotations

import dataclasses

import pytest

from ochag.cases import services
from ochag.cases.models import Case, Level
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import Cast
from ochag.core.clock import as_of
from ochag.monitoring import indicators as registry
from ochag.monitoring.indicators import Count
from ochag.monitoring.periods import Period
from ochag.monitoring.tests.conftest import MonitoringCast, at

pytestmark = pytest.mark.django_db
CODES = [
    "families_sop",
    "children_sop",
    "families_tzhs",
    "children_tzhs",
    "families_early",
    "children_early",
]


def _windows(period: Period) -> dict[str, object]:
    out = {"cur": period.window, "prev": period.previous.window}
    return out | {m.key: m.window for m in period.months() if m.started()}


@pytest.mark.parametrize("code", CODES)
def test_series_equal_the_lists_for_every_window(
    code: str, mc: MonitoringCast, cast: Cast, cc: CaseCast
) -> None:
    # Family B's case (ТЖС) was closed in June and re-opened in August; a second ТЖС case
    # of the same family was opened in July, while the first was closed, and closed in
    # October. Family A's case is closed and re-opened as well.
    with as_of(at(2026, 7)):
        second = services.case_open(
            actor=cast.coordinator,
            household=mc.case_b.household,
            curator=cc.curator,
            legal_basis="П-3",
        )
    Case.objects.filter(pk=second.pk).update(level=Level.TZHS)
    with as_of(at(2026, 10)):
        services.case_close(actor=cast.coordinator, case=second, ground="causes_removed")
    with as_of(at(2026, 9)):
        services.case_close(actor=cast.coordinator, case=mc.case_a, ground="causes_removed")
    with as_of(at(2026, 11)):
        services.case_reopen(actor=cast.coordinator, case=mc.case_a, reason="Снова")
    indicator = registry.count(code)
    assert indicator.series is not None
    plain = dataclasses.replace(indicator, series=None)
    for path in (cast.region.path, cast.municipality_a.path, cast.municipality_b.path):
        for period in (Period(2026), Period(2026, 8), Period(2025)):
            windows = _windows(period)
            fast = registry.counts_over(indicator, path, windows)  # type: ignore[arg-type]
            slow = registry.counts_over(plain, path, windows)  # type: ignore[arg-type]
            listed = {k: registry.rows(indicator, path, w).count() for k, w in windows.items()}  # type: ignore[arg-type]
            assert fast == slow == listed, (path, period)
    # The cast makes the check bite: the re-opened family is counted in some months only.
    tzhs = registry.counts_over(
        registry.count("families_tzhs"),
        cast.region.path,
        _windows(Period(2026)),  # type: ignore[arg-type]
    )
    assert tzhs["2026-06"] == 0 and tzhs["2026-07"] == 1 and tzhs["2026-08"] == 2


@pytest.mark.parametrize(
    "code",
    [i.code for i in registry.all_indicators() if isinstance(i, Count) and i.flow is not None],
)
def test_flows_read_by_month_equal_their_lists(code: str, mc: MonitoringCast, cast: Cast) -> None:
    """A flow's months in one grouped query equal the list's count for every window, in
    the region and in each municipality (the cast's signals, cases, closures, re-openings)."""
    indicator = registry.count(code)
    plain = dataclasses.replace(indicator, flow=None)
    for path in (cast.region.path, cast.municipality_a.path, cast.municipality_b.path):
        for period in (Period(2026), Period(2026, 3), Period(2025)):
            windows = _windows(period)
            fast = registry.counts_over(indicator, path, windows)  # type: ignore[arg-type]
            slow = registry.counts_over(plain, path, windows)  # type: ignore[arg-type]
            assert fast == slow, (path, period)
    assert (
        registry.counts_over(
            registry.count("signals_received"),
            cast.region.path,
            _windows(Period(2026)),  # type: ignore[arg-type]
        )["2026-03"]
        == 9
    )
