"""The indicator framework.

An indicator is a count (:class:`Count`) of records of one kind, or a share
(:class:`Share`) of two counts. A count is built from two parts its source app offers in its
``figures`` module: the records of a territory subtree (``base(path)``) and the condition a
time window puts on them (``condition(window)``). :func:`rows` joins the two: it is **the one
selector** behind the tile's number, the trend, the municipalities' column and the drill-down
list, so none of them can drift from the others (peers.md, complaint 5).

A *flow* counts events in the window (signals received in March); a *stock* counts a state
at the window's end (families in СОП on 31 March, or now for a month not over yet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.db import models
from django.db.models import Count as CountOf
from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.functional import Promise

from ochag.monitoring.periods import Window

type Label = str | Promise

FLOW = "flow"
STOCK = "stock"
NONE_KEY = "none"  # a dimension's key for rows without a value (a helpline signal's agency)


@dataclass(frozen=True)
class Dimension:
    """A breakdown of a count: by a choice field or by a foreign key with a label."""

    key: str  # URL token
    label: Label
    field: str  # the model field (for a foreign key, its ``_id`` attribute)
    choices: Sequence[tuple[str, Label]] = ()
    label_field: str = ""  # for a foreign key: the related name to show

    def q(self, value: str) -> Q:
        if value == NONE_KEY:
            empty = Q(**{f"{self.field}__isnull": True})
            return empty | Q(**{self.field: ""}) if self.choices else empty
        if not self.choices:
            try:
                return Q(**{self.field: int(value)})
            except ValueError:
                return Q(pk__in=[])
        return Q(**{self.field: value})


@dataclass(frozen=True)
class Flow:
    """A flow's condition as the time its event happened (``field``, a datetime, or a date
    with ``dates``) inside the window, and what else the record must be (``where``, the
    same at any time). Counts over whole months are then read in one grouped query."""

    field: str
    where: Callable[[], Q] = Q
    dates: bool = False

    def condition(self, window: Window) -> Q:
        lo: object = window.start.date() if self.dates else window.start
        hi: object = window.end.date() if self.dates else window.end
        return Q(**{f"{self.field}__gte": lo, f"{self.field}__lt": hi}) & self.where()


def date_cell(value: Any, empty: str = "") -> str:
    """A date in a drill-down list's cell (ДД.ММ.ГГГГ); ``empty`` where there is none."""
    return formats.date_format(value, "d.m.Y") if value else empty


def local_date_cell(value: Any) -> str:
    """The local date of a moment in a drill-down list's cell."""
    return date_cell(timezone.localtime(value).date()) if value else ""


@dataclass(frozen=True)
class RecordKind:
    """How a drill-down list shows one kind of record: columns, cells and a link."""

    columns: Sequence[tuple[Label, str | None]]  # (header, sort field)
    default_sort: str
    cells: Callable[[Any], Sequence[object]]
    url: Callable[[Any], str | None]


@dataclass(frozen=True)
class Count:
    code: str
    section: str
    name: Label
    unit: Label
    formula: Label
    sources: Label
    kind: str  # FLOW or STOCK
    up_is_good: bool | None
    base: Callable[[str], models.QuerySet[Any]]
    condition: Callable[[Window], Q]
    territory_field: str  # the Territory FK the municipalities' column groups by
    record: RecordKind
    dimensions: Sequence[Dimension] = ()
    # Optional: the counts over many windows at once, equal to ``rows(...).count()`` for
    # each (a faster read of the same records; tested against the list for every window).
    series: Callable[[str, dict[str, Window]], dict[str, int]] | None = None
    # For a flow whose ``condition`` is ``flow.condition``: its months in one grouped query.
    flow: Flow | None = None

    @property
    def is_share(self) -> bool:
        return False

    def dimension(self, key: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.key == key), None)


@dataclass(frozen=True)
class Family:
    """What the counts over one kind of record share (section, unit, sources, the records and
    the territory they group by): each count of the family then says only what is its own,
    and a flow's kind and condition follow from its :class:`Flow` in one place. A family
    that differs in a field or two is ``dataclasses.replace(family, …)``."""

    section: str
    unit: Label
    sources: Label
    base: Callable[[str], models.QuerySet[Any]]
    territory_field: str
    record: RecordKind

    def _shared(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def flow(self, flow: Flow, **own: Any) -> Count:
        """A count of the events inside the window: its condition is the flow's, so its
        months are read in one grouped query (:func:`counts_over`)."""
        return Count(kind=FLOW, condition=flow.condition, flow=flow, **self._shared(), **own)

    def stock(self, condition: Callable[[Window], Q], **own: Any) -> Count:
        """A count of the records in a state at the window's end."""
        return Count(kind=STOCK, condition=condition, **self._shared(), **own)

    def count(self, **own: Any) -> Count:
        """A count with a kind and condition of its own (records present during a window)."""
        return Count(**self._shared(), **own)


@dataclass(frozen=True)
class Share:
    """``numerator`` as a percentage of ``denominator`` (both counts' codes)."""

    code: str
    section: str
    name: Label
    formula: Label
    sources: Label
    up_is_good: bool | None
    numerator: str
    denominator: str
    unit: Label = "%"
    kind: str = FLOW
    dimensions: Sequence[Dimension] = field(default=())

    @property
    def is_share(self) -> bool:
        return True


type Indicator = Count | Share

_REGISTRY: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    """Add indicators (each app's catalogue calls this at start-up); codes are unique."""
    for indicator in indicators:
        if indicator.code in _REGISTRY and _REGISTRY[indicator.code] != indicator:
            raise ValueError(f"indicator {indicator.code} is registered twice")
        _REGISTRY[indicator.code] = indicator


def all_indicators() -> list[Indicator]:
    return list(_REGISTRY.values())


def get(code: str) -> Indicator | None:
    return _REGISTRY.get(code)


def count(code: str) -> Count:
    indicator = _REGISTRY[code]
    assert isinstance(indicator, Count)
    return indicator


def rows(
    indicator: Count, path: str, window: Window, *, by: tuple[Dimension, str] | None = None
) -> models.QuerySet[Any]:
    """The records ``indicator`` counts in the territory subtree ``path`` over ``window``,
    optionally narrowed to one value of a dimension. Tiles, trends and lists all use this."""
    qs = indicator.base(path).filter(indicator.condition(window))
    if by is not None:
        dimension, value = by
        qs = qs.filter(dimension.q(value))
    return qs


def counts_over(indicator: Count, path: str, windows: dict[str, Window]) -> dict[str, int]:
    """The count over each of several windows in one query (conditional aggregates over the
    same base and conditions as :func:`rows`, so each equals ``rows(...).count()``)."""
    if not windows:
        return {}
    if indicator.series is not None:
        return indicator.series(path, windows)
    if indicator.flow is not None and all(_whole_months(w) for w in windows.values()):
        return _monthly(indicator, indicator.flow, path, windows)
    aggregates = {
        key: CountOf("pk", filter=indicator.condition(window)) for key, window in windows.items()
    }
    result = indicator.base(path).order_by().aggregate(**aggregates)
    return {key: int(result[key] or 0) for key in windows}


def _whole_months(window: Window) -> bool:
    start, end = timezone.localtime(window.start), timezone.localtime(window.end)
    return all(t.day == 1 and t.time() == dt.time.min for t in (start, end)) and start < end


def _month_keys(window: Window) -> list[tuple[int, int]]:
    start, end = timezone.localtime(window.start), timezone.localtime(window.end)
    year, month, out = start.year, start.month, []
    while (year, month) < (end.year, end.month):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _monthly(indicator: Count, flow: Flow, path: str, windows: dict[str, Window]) -> dict[str, int]:
    """The flow's count per month over the windows' span in one grouped query, summed per
    window: equal to ``rows(indicator, path, w).count()`` for windows of whole months (the
    list's condition is ``flow.condition``)."""
    span = Window(min(w.start for w in windows.values()), max(w.end for w in windows.values()))
    grouped = (
        indicator.base(path)
        .filter(flow.condition(span))
        .order_by()
        .annotate(_month=TruncMonth(flow.field))
        .values("_month")
        .annotate(_n=CountOf("pk"))
        .values_list("_month", "_n")
    )
    months: dict[tuple[int, int], int] = {}
    for month, n in grouped:
        key = (month.year, month.month)
        months[key] = months.get(key, 0) + n
    return {key: sum(months.get(m, 0) for m in _month_keys(w)) for key, w in windows.items()}


def counts_by_territory(indicator: Count, path: str, window: Window) -> dict[int, int]:
    """The count per territory (the record's own municipality) in one grouped query."""
    grouped = (
        indicator.base(path)
        .filter(indicator.condition(window))
        .order_by()
        .values(indicator.territory_field)
        .annotate(n=CountOf("pk"))
    )
    return {row[indicator.territory_field]: row["n"] for row in grouped}


def counts_by_dimension(
    indicator: Count, dimension: Dimension, path: str, window: Window
) -> list[tuple[str, Label, int]]:
    """``(key, label, count)`` per value of ``dimension`` that occurs, in one grouped query."""
    fields = [dimension.field] + ([dimension.label_field] if dimension.label_field else [])
    grouped = (
        indicator.base(path)
        .filter(indicator.condition(window))
        .order_by()
        .values(*fields)
        .annotate(n=CountOf("pk"))
    )
    labels = dict(dimension.choices)
    merged: dict[str, tuple[Label, int]] = {}
    for row in grouped:
        value = row[dimension.field]
        if value in (None, ""):
            key, label = NONE_KEY, _not_given()
        elif dimension.label_field:
            key, label = str(value), str(row[dimension.label_field])
        else:
            key, label = str(value), labels.get(value, str(value))
        merged[key] = (label, merged.get(key, (label, 0))[1] + row["n"])
    out = [(key, label, n) for key, (label, n) in merged.items()]
    out.sort(key=lambda item: (-item[2], str(item[1])))
    return out


def _not_given() -> Label:
    from django.utils.translation import gettext_lazy

    return gettext_lazy("Not given")
