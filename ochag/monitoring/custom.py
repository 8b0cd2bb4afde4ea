"""Indicators the regional coordinator defines (issue 17, indicators §1).

A regional indicator is a count of one **base count** — an indicator shipped in code,
chosen from a whitelist — narrowed by a municipality and by one value of one of the base's
breakdowns (a channel, a source agency, a level, a ground, a service...), or the ratio (%)
of two such counts. It is built from the base's own parts (records of a territory, the
window's condition), so its tile, trend, municipalities and list come from the same one
selector as the shipped indicators' and the list's count equals the number (tested).
A base's kind carries over: a flow counts events in the period, a stock a state at its end.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ochag.core.models import Territory
from ochag.monitoring import indicators as registry
from ochag.monitoring.indicators import Count, Dimension, Indicator, Share
from ochag.monitoring.models import CUSTOM_PREFIX, CustomIndicator

CUSTOM = "custom"
# The counts a coordinator may build on: every shipped count over records of the region
# (the data-quality checks are work lists, not programme indicators).
BASES = (
    "signals_received",
    "signals_routed",
    "signals_on_time",
    "families_sop",
    "children_sop",
    "families_tzhs",
    "children_tzhs",
    "families_early",
    "children_early",
    "cases_opened",
    "cases_closed",
    "cases_reopened",
    "tasks_overdue",
    "removals",
    "referrals_made",
    "referrals_waiting",
    "referrals_unmet",
    "referrals_completed",
    "in_care",
    "in_care_0_4",
    "in_care_over_year",
    "admissions",
    "discharges",
    "returns_home",
    "reviews_done",
    "reviews_on_time",
    "specialists_trained",
)
NUMERATOR, DENOMINATOR = "num", "den"


def bases() -> list[Count]:
    return [registry.count(code) for code in BASES]


def parse_filter(base: Count, text: str) -> tuple[Dimension, str] | None:
    """``"channel:helpline"`` → (the base's channel breakdown, "helpline"); None if empty.
    Raises ValueError for a breakdown the base lacks or a value it cannot take."""
    if not text:
        return None
    key, _sep, value = text.partition(":")
    dimension = base.dimension(key)
    if dimension is None or not value:
        raise ValueError(text)
    if dimension.choices:
        if value not in {str(v) for v, _l in dimension.choices}:
            raise ValueError(text)
    elif not value.isdigit():
        raise ValueError(text)
    return dimension, value


def describe(base: Count, territory_name: str, found: tuple[Dimension, str] | None) -> str:
    """A count's name with what narrows it: «Signals received (Helpline; Town A)»."""
    notes = []
    if found is not None:
        dimension, value = found
        labels = {str(k): str(label) for k, label in dimension.choices}
        notes.append(labels.get(value, f"{dimension.label} № {value}"))
    if territory_name:
        notes.append(territory_name)
    return f"{base.name} ({'; '.join(notes)})" if notes else str(base.name)


def _narrowed(
    base: Count,
    code: str,
    definition: CustomIndicator,
    territory: Territory | None,
    text: str,
) -> Count:
    q = Q()
    territory_name = territory.name if territory else ""
    if territory is not None:
        q &= Q(**{f"{base.territory_field}__path__startswith": territory.path})
    found = parse_filter(base, text)
    if found is not None:
        q &= found[0].q(found[1])
    base_records = base.base

    def records(path: str) -> Any:
        return base_records(path).filter(q)

    own = code == definition.code
    return dataclasses.replace(
        base,
        code=code,
        section=CUSTOM,
        name=definition.name if own else describe(base, territory_name, found),
        unit=definition.unit if own else base.unit,
        formula=definition.formula,
        up_is_good=definition.up_is_good,
        base=records,
        series=None,  # the base's faster read counts the base's records, not these
        dimensions=[d for d in base.dimensions if found is None or d.key != found[0].key],
    )


def build(definition: CustomIndicator) -> tuple[Indicator, dict[str, Count]]:
    """The indicator a definition makes, and the counts a ratio is made of (by code)."""
    num_base = registry.count(definition.numerator)
    num_path = definition.numerator_territory
    if definition.kind == CustomIndicator.Kind.COUNT:
        count = _narrowed(
            num_base, definition.code, definition, num_path, definition.numerator_filter
        )
        return count, {}
    den_base = registry.count(definition.denominator)
    den_path = definition.denominator_territory
    parts = {
        f"{definition.code}_{NUMERATOR}": _narrowed(
            num_base,
            f"{definition.code}_{NUMERATOR}",
            definition,
            num_path,
            definition.numerator_filter,
        ),
        f"{definition.code}_{DENOMINATOR}": _narrowed(
            den_base,
            f"{definition.code}_{DENOMINATOR}",
            definition,
            den_path,
            definition.denominator_filter,
        ),
    }
    share = Share(
        code=definition.code,
        section=CUSTOM,
        name=definition.name,
        formula=definition.formula,
        sources=_("%(a)s; %(b)s") % {"a": num_base.sources, "b": den_base.sources},
        up_is_good=definition.up_is_good,
        numerator=f"{definition.code}_{NUMERATOR}",
        denominator=f"{definition.code}_{DENOMINATOR}",
        unit="%",
        kind=num_base.kind,
    )
    return share, parts


def _definitions(region_id: int) -> list[CustomIndicator]:
    return list(
        CustomIndicator.objects.filter(region_id=region_id, is_active=True).select_related(
            "numerator_territory", "denominator_territory"
        )
    )


def catalogue(region_id: int | None) -> tuple[list[Indicator], dict[str, Count]]:
    """The region's active indicators (one query) and the counts their ratios are made of."""
    if region_id is None:
        return [], {}
    listed: list[Indicator] = []
    parts: dict[str, Count] = {}
    for definition in _definitions(region_id):
        indicator, made_of = build(definition)
        listed.append(indicator)
        parts |= made_of
    return listed, parts


def find(code: str, region_id: int | None) -> tuple[Indicator, dict[str, Count]] | None:
    """A regional indicator of ``region_id`` by its code, or a ratio's part; None otherwise."""
    if region_id is None or not code.startswith(CUSTOM_PREFIX):
        return None
    number = code.removeprefix(CUSTOM_PREFIX).split("_", 1)[0]
    if not number.isdigit():
        return None
    definition = (
        CustomIndicator.objects.filter(pk=int(number), region_id=region_id, is_active=True)
        .select_related("numerator_territory", "denominator_territory")
        .first()
    )
    if definition is None:
        return None
    indicator, parts = build(definition)
    if code == indicator.code:
        return indicator, parts
    if code in parts:
        return parts[code], parts
    return None
