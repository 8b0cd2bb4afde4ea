"""Reads behind the dashboards: tiles, trends, municipalities side by side, breakdowns and
the drill-down lists, all from :func:`ochag.monitoring.indicators.rows` and its one-query
aggregates, inside the territory the dashboard policy grants."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.core.models import Territory
from ochag.monitoring import custom
from ochag.monitoring import indicators as registry
from ochag.monitoring.indicators import FLOW, Count, Dimension, Indicator, Label, Share
from ochag.monitoring.models import IndicatorTarget
from ochag.monitoring.periods import Period, Window
from ochag.monitoring.policies import MonitoringPolicyAction, dashboards
from ochag.monitoring.suppression import hidden_cells, is_small, share_hidden


@dataclass(frozen=True)
class Scope:
    """Whose dashboard: the territory shown and what the reader may see of it."""

    territory: Territory
    aggregate_only: bool
    may_drill: bool

    @property
    def path(self) -> str:
        return self.territory.path

    @property
    def is_region(self) -> bool:
        return self.territory.level == Territory.Level.REGION


def scope_for(user: User, territory_id: str | None) -> Scope | None:
    """The scope of ``user``'s dashboard on the territory asked for (their home one when none
    is asked); None when the territory is not theirs."""
    if territory_id:
        try:
            territory = dashboards.visible(user).get(pk=int(territory_id))
        except (Territory.DoesNotExist, ValueError):
            return None
    else:
        home = dashboards.home(user)
        if home is None:
            return None
        territory = home
    return Scope(
        territory=territory,
        aggregate_only=dashboards.aggregate_only(user),
        may_drill=dashboards.allows(user, MonitoringPolicyAction.DRILL_DOWN, territory),
    )


@dataclass
class Figure:
    """One number as shown: its text, whether it is hidden, the list it opens."""

    value: float | int | None
    text: str
    hidden: bool = False
    url: str | None = None


def _number(value: float | int | None, *, share: bool = False) -> str:
    if value is None:
        return "—"
    if share:
        return formats.number_format(round(float(value), 1), 1, force_grouping=True) + " %"
    return formats.number_format(value, 0, force_grouping=True)


def list_url(
    indicator: Count,
    scope: Scope,
    period: Period,
    *,
    territory: Territory | None = None,
    by: tuple[Dimension, str] | None = None,
    path: str | None = None,
) -> str:
    """The list behind a number; ``path``: the list's reversed path, when the caller builds
    many of one indicator's (a tile's fourteen)."""
    # The period key and the id need no quoting (a tile builds fourteen of these).
    query = f"period={period.key}&territory={(territory or scope.territory).pk}"
    if by is not None:
        query += "&" + urlencode({"by": f"{by[0].key}:{by[1]}"})
    return (path or reverse("monitoring:list", args=[indicator.code])) + "?" + query


def _count_figure(value: int, hidden: bool, url: str | None, scope: Scope) -> Figure:
    if hidden:
        return Figure(None, _("fewer than 5"), hidden=True)
    return Figure(value, _number(value), url=url if scope.may_drill else None)


def _share_figure(num: int, den: int, scope: Scope) -> Figure:
    if den == 0:
        return Figure(None, "—")
    if scope.aggregate_only and share_hidden(num, den):
        return Figure(None, _("hidden (small numbers)"), hidden=True)
    value = 100.0 * num / den
    return Figure(value, _number(value, share=True))


@dataclass
class Tile:
    indicator: Indicator
    value: Figure
    previous: Figure
    change: str = ""
    better: bool | None = None
    target: Decimal | None = None
    target_text: str = ""
    trend: list[Figure] = field(default_factory=list)
    parts: list[tuple[Label, Figure]] = field(default_factory=list)  # a share's counts
    detail_url: str = ""

    @property
    def spark(self) -> SafeString:
        """The bars of a decorative sparkline of the trend (the tables carry the numbers),
        as markup: a page has some 600 bars, too many to render one number at a time."""
        top = max([float(f.value or 0) for f in self.trend] + [1.0])
        bars = []
        for i, figure in enumerate(self.trend):
            height = round(30 * float(figure.value or 0) / top)
            bars.append(
                f'<rect class="chart__bar" x="{i * 16}" y="{32 - height}" width="14" '
                f'height="{height}"></rect>'
            )
        return mark_safe("".join(bars))  # noqa: S308 - integers only


def _windows(period: Period) -> dict[str, Window]:
    out = {"cur": period.window, "prev": period.previous.window}
    for month in period.months():
        if month.started():
            out[month.key] = month.window
    return out


def _change(indicator: Indicator, cur: Figure, prev: Figure) -> tuple[str, bool | None]:
    if cur.value is None or prev.value is None or cur.hidden or prev.hidden:
        return "", None
    delta = float(cur.value) - float(prev.value)
    if indicator.is_share:
        text = formats.number_format(round(delta, 1), 1) + " " + _("p.p.")
    else:
        text = _number(int(delta))
    if delta > 0:
        text = "+" + text
    better = (
        None if indicator.up_is_good is None or delta == 0 else (delta > 0) == indicator.up_is_good
    )
    return text.replace("-", "−"), better


def _targets(scope: Scope, year: int) -> dict[str, Decimal]:
    rows = IndicatorTarget.objects.filter(territory=scope.territory, year=year)
    return {t.code: t.value for t in rows}


def _count_tile(indicator: Count, raw: dict[str, int], scope: Scope, period: Period) -> Tile:
    months = [m for m in period.months() if m.key in raw]
    month_values = [raw[m.key] for m in months]
    hide_months: set[int] = set()
    hide_cur = hide_prev = False
    if scope.aggregate_only:
        additive = indicator.kind == FLOW and period.month is None
        hide_months = hidden_cells(month_values, additive=additive)
        hide_cur, hide_prev = is_small(raw["cur"]), is_small(raw["prev"])
    path = reverse("monitoring:list", args=[indicator.code]) if scope.may_drill else None

    def url(of: Period) -> str | None:
        return list_url(indicator, scope, of, path=path) if path else None

    cur = _count_figure(raw["cur"], hide_cur, url(period), scope)
    prev = _count_figure(raw["prev"], hide_prev, url(period.previous), scope)
    trend = [
        _count_figure(v, i in hide_months, url(m), scope)
        for i, (m, v) in enumerate(zip(months, month_values, strict=True))
    ]
    change, better = _change(indicator, cur, prev)
    return Tile(indicator, cur, prev, change, better, trend=trend)


def _share_tile(
    indicator: Share,
    raws: dict[str, dict[str, int]],
    scope: Scope,
    period: Period,
    tiles: dict[str, Tile],
    counts: dict[str, Count],
) -> Tile:
    num, den = raws[indicator.numerator], raws[indicator.denominator]
    cur = _share_figure(num["cur"], den["cur"], scope)
    prev = _share_figure(num["prev"], den["prev"], scope)
    trend = [_share_figure(num[m.key], den[m.key], scope) for m in period.months() if m.key in num]
    change, better = _change(indicator, cur, prev)
    parts = [
        (counts[code].name, tiles[code].value)
        for code in (indicator.numerator, indicator.denominator)
    ]
    return Tile(indicator, cur, prev, change, better, trend=trend, parts=parts)


def _region_id(scope: Scope) -> int | None:
    region = scope.territory if scope.is_region else scope.territory.region
    return region.pk if region is not None else None


def catalogue(scope: Scope) -> tuple[list[Indicator], dict[str, Count]]:
    """The shipped indicators and the region's own (one query), with every count by code
    (a regional ratio's parts among them)."""
    listed, parts = custom.catalogue(_region_id(scope))
    indicators = registry.all_indicators() + listed
    counts = {i.code: i for i in indicators if isinstance(i, Count)} | parts
    return indicators, counts


def find(scope: Scope, code: str) -> Indicator | None:
    """An indicator by code: a shipped one, or one of the scope's region (else None)."""
    shipped = registry.get(code)
    if shipped is not None:
        return shipped
    found = custom.find(code, _region_id(scope))
    return found[0] if found else None


def dashboard(
    scope: Scope,
    period: Period,
    codes: Sequence[str] | None = None,
    kept: Mapping[str, dict[str, int]] | None = None,
) -> list[Tile]:
    """Tiles of every indicator (or of ``codes``): one aggregate query per count, one for the
    targets, one for the region's own indicators. A count found in ``kept`` (the counts a
    refresh read through the same :func:`registry.counts_over`, keyed as here) is not read
    again."""
    kept = kept or {}
    every, counts = catalogue(scope)
    wanted = [i for i in every if codes is None or i.code in codes]
    needed: list[Count] = []
    for indicator in wanted:
        if isinstance(indicator, Share):
            needed += [counts[indicator.numerator], counts[indicator.denominator]]
        else:
            needed.append(indicator)
    windows = _windows(period)
    raws: dict[str, dict[str, int]] = {}
    for count in needed:
        if count.code in raws:
            continue
        found = kept.get(count.code)
        raws[count.code] = (
            found if found is not None else registry.counts_over(count, scope.path, windows)
        )
    count_tiles = {
        code: _count_tile(counts[code], raw, scope, period) for code, raw in raws.items()
    }
    targets = _targets(scope, period.year)
    tiles: list[Tile] = []
    for indicator in wanted:
        if isinstance(indicator, Share):
            tile = _share_tile(indicator, raws, scope, period, count_tiles, counts)
        else:
            tile = count_tiles[indicator.code]
        tile.target = targets.get(indicator.code)
        if tile.target is not None:
            tile.target_text = _number(float(tile.target), share=indicator.is_share)
        tile.detail_url = (
            reverse("monitoring:indicator", args=[indicator.code])
            + "?"
            + urlencode({"period": period.key, "territory": str(scope.territory.pk)})
        )
        tiles.append(tile)
    return tiles


@dataclass
class TableRow:
    label: str
    figure: Figure
    share: float = 0.0  # of the largest value, for the bar


def _rows(
    labels: list[str], values: list[int], urls: list[str], scope: Scope, additive: bool
) -> list[TableRow]:
    hide = hidden_cells(values, additive=additive) if scope.aggregate_only else set()
    top = max([*values, 1])
    out = [
        TableRow(label, _count_figure(v, i in hide, url, scope), v / top if i not in hide else 0)
        for i, (label, v, url) in enumerate(zip(labels, values, urls, strict=True))
    ]
    return out


def municipalities(indicator: Count, scope: Scope, period: Period) -> tuple[list[TableRow], Figure]:
    """The count per municipality of the region, side by side, with the region's total."""
    counts = registry.counts_by_territory(indicator, scope.path, period.window)
    places = list(
        Territory.objects.filter(
            path__startswith=scope.path, level=Territory.Level.MUNICIPALITY
        ).order_by("name")
    )
    values = [counts.get(t.pk, 0) for t in places]
    urls = [list_url(indicator, scope, period, territory=t) for t in places]
    total = sum(counts.values())
    rows = _rows([t.name for t in places], values, urls, scope, additive=True)
    hide_total = scope.aggregate_only and is_small(total)
    return rows, _count_figure(total, hide_total, list_url(indicator, scope, period), scope)


def breakdown(
    indicator: Count, dimension: Dimension, scope: Scope, period: Period
) -> list[TableRow]:
    found = registry.counts_by_dimension(indicator, dimension, scope.path, period.window)
    labels = [str(label) for _key, label, _n in found]
    values = [n for _key, _label, n in found]
    urls = [list_url(indicator, scope, period, by=(dimension, key)) for key, _l, _n in found]
    return _rows(labels, values, urls, scope, additive=True)


def drill_down(
    indicator: Count, scope: Scope, period: Period, by: str = ""
) -> tuple[models.QuerySet[Any], str]:
    """The records behind a number, and the breakdown's label when narrowed to one value."""
    narrowed: tuple[Dimension, str] | None = None
    label = ""
    if ":" in by:
        key, value = by.split(":", 1)
        dimension = indicator.dimension(key)
        if dimension is not None:
            narrowed = (dimension, value)
            label = str(dimension.label)
    return registry.rows(indicator, scope.path, period.window, by=narrowed), label
