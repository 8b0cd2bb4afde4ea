"""The dashboards' kept counts (issue 17, performance): exact as of a refresh's moment.

A refresh reads, for the region and each of its municipalities, every count the dashboard
shows — the shipped indicators, the region's own and the parts of its ratios — through
:func:`indicators.counts_over`, the same read the live dashboard makes (itself tested equal
to the list behind each number), over the periods the dashboards offer: this year and the
two before it (with the year before those, their "previous period"), and every month of
this year and last year (with the months of the year before, their trends) — see
:func:`covered_periods`. It also keeps the cost comparison's facts for each of those
periods. All reads run in one transaction that sees one database snapshot (REPEATABLE READ
on PostgreSQL), with "now" fixed at the moment the refresh started, so every kept number
is the live number at ``taken_at`` — the moment the dashboard shows as «Данные на …».

The dashboard takes a count from the snapshot when it holds every window the tile needs
(the period, the one before it and the months of the trend); otherwise — another period,
an indicator added since, no refresh yet — the count is read live, as before. The lists
behind the numbers are always live.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ochag.core.models import Territory
from ochag.monitoring import costs, selectors
from ochag.monitoring import indicators as registry
from ochag.monitoring.costs import CostFacts
from ochag.monitoring.models import IndicatorRefresh, IndicatorSnapshot
from ochag.monitoring.periods import Period, Window

type Counts = Mapping[str, Mapping[str, int]]


# Every month of this many years (this one and the ones before) gets complete tiles, and
# so do the years themselves and the one before them: of the periods the dashboard offers
# (three years and their months), only the months of the oldest year are counted live.
MONTH_YEARS = 2


def covered_periods(now: dt.datetime) -> list[Period]:
    """The periods a refresh keeps complete tiles for: this year and the MONTH_YEARS
    before it, and every month of the last MONTH_YEARS years that has started."""
    year = timezone.localdate(now).year
    years = [Period(year - i) for i in range(MONTH_YEARS + 1)]
    months = [Period(year - i, m) for i in range(MONTH_YEARS) for m in range(1, 13)]
    return years + [m for m in months if _started(m, now)]


def _started(period: Period, now: dt.datetime) -> bool:
    return period.window.start <= now


def needed_keys(period: Period, now: dt.datetime) -> list[str]:
    """The period keys a tile of ``period`` shows: the period, the one before, the trend's
    months that have started by ``now``."""
    months = [m.key for m in period.months() if _started(m, now)]
    return [period.key, period.previous.key, *months]


def windows_at(now: dt.datetime) -> dict[str, Window]:
    """Every window the covered periods' tiles need, by period key, read at ``now``."""
    out: dict[str, Window] = {}
    for period in covered_periods(now):
        for key in needed_keys(period, now):
            if key not in out:
                out[key] = Period.parse(key).window.at(now)
    return out


def read_territory(
    territory: Territory, region_id: int, now: dt.datetime
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, Any]]]:
    """One territory's counts and cost facts, as the live dashboard would read them at
    ``now``."""
    scope = selectors.Scope(territory=territory, aggregate_only=False, may_drill=False)
    _every, counts = selectors.catalogue(scope)
    windows = windows_at(now)
    kept = {
        code: registry.counts_over(count, territory.path, windows) for code, count in counts.items()
    }
    tables = costs.cost_tables(region_id)
    kept_costs = {
        p.key: dataclasses.asdict(costs.cost_facts(territory.path, tables, p.window.at(now)))
        for p in covered_periods(now)
    }
    return kept, kept_costs


@dataclass(frozen=True)
class Kept:
    """What the dashboard of a territory has from the last refresh."""

    taken_at: dt.datetime
    counts: Counts
    costs: Mapping[str, Mapping[str, Any]]

    def counts_for(self, period: Period, now: dt.datetime) -> dict[str, dict[str, int]]:
        """``{code: {"cur", "prev", month keys: n}}`` for every count the snapshot holds
        complete for ``period`` (the windows keyed as :func:`selectors.dashboard` does)."""
        keys = needed_keys(period, now)
        months = keys[2:]
        out: dict[str, dict[str, int]] = {}
        for code, values in self.counts.items():
            if all(k in values for k in keys):
                out[code] = {"cur": values[period.key], "prev": values[period.previous.key]}
                out[code] |= {k: values[k] for k in months}
        return out

    def cost_facts(self, period: Period) -> CostFacts | None:
        found = self.costs.get(period.key)
        return CostFacts(**found) if found is not None else None


def kept_for(territory: Territory) -> Kept | None:
    """The territory's kept counts (one query); None before its first refresh."""
    row = IndicatorSnapshot.objects.filter(territory=territory).first()
    if row is None:
        return None
    return Kept(row.taken_at, row.counts, row.costs)


def refresh_of(territory: Territory) -> IndicatorRefresh | None:
    """The state of the refresh of the territory's region (one query)."""
    region = territory if territory.level == Territory.Level.REGION else territory.region
    if region is None:
        return None
    return IndicatorRefresh.objects.filter(region=region).first()
