"""Form 103-РИК for a reporting year: our own layout of the fields the reference lists
(domain.md §8), filled from the same indicators as the dashboards (so a line of the form
and the tile for the year agree) and from the data bank's public counts.

Lines are the region's (or a municipality's) for the calendar year; states are read at
the year's end. Small numbers are suppressed for aggregate-only readers as on the
dashboards; a line's parts add up to it, so they are suppressed as a group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.monitoring import indicators as registry
from ochag.monitoring.periods import Period
from ochag.monitoring.selectors import Figure, Scope, list_url
from ochag.monitoring.suppression import hidden_cells, is_small


@dataclass
class Line:
    number: str
    label: str
    figure: Figure
    level: int = 0  # 0 a line, 1 a part of the line above


def _figure(value: int, hidden: bool, url: str | None, scope: Scope) -> Figure:
    if hidden:
        return Figure(None, _("fewer than 5"), hidden=True)
    return Figure(value, str(value), url=url if scope.may_drill else None)


def _indicator_lines(
    number: str, code: str, scope: Scope, period: Period, by: str | None = None
) -> list[Line]:
    indicator = registry.count(code)
    total = registry.counts_over(indicator, scope.path, {"cur": period.window})["cur"]
    lines = [
        Line(
            number,
            str(indicator.name),
            _figure(
                total,
                scope.aggregate_only and is_small(total),
                list_url(indicator, scope, period),
                scope,
            ),
        )
    ]
    dimension = indicator.dimension(by) if by else None
    if dimension is None:
        return lines
    parts = registry.counts_by_dimension(indicator, dimension, scope.path, period.window)
    hide = (
        hidden_cells([n for _k, _l, n in parts], additive=True) if scope.aggregate_only else set()
    )
    for i, (key, label, n) in enumerate(parts):
        url = list_url(indicator, scope, period, by=(dimension, key))
        lines.append(Line(f"{number}.{i + 1}", str(label), _figure(n, i in hide, url, scope), 1))
    return lines


def _databank_lines(number: str, user: User, scope: Scope, year: int) -> list[Line]:
    """The data bank's counts are scoped by its own policy for the user; the region's only."""
    from ochag.databank import counts
    from ochag.databank.models import FormOfCare

    forms = dict(FormOfCare.choices)

    if not scope.is_region or not user.sees_personal_data:
        return []
    since, until = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def plain(value: int) -> Figure:
        return Figure(value, str(value))

    placed = counts.placed_by_form(user, since, until)
    lines = [
        Line(
            f"{number}.1",
            _("Children placed in families from the data bank"),
            plain(sum(placed.values())),
        ),
    ]
    lines += [
        Line(f"{number}.1.{i + 1}", str(forms.get(form, form)), plain(n), 1)
        for i, (form, n) in enumerate(sorted(placed.items()))
    ]
    lines.append(
        Line(
            f"{number}.2",
            _("Children passed to the federal data bank"),
            plain(counts.sent_to_federal(user, since, until)),
        )
    )
    lines.append(
        Line(
            f"{number}.3",
            _("Children in the data bank not yet placed (now)"),
            plain(counts.in_bank(user)),
        )
    )
    return lines


@dataclass
class Section:
    title: str
    lines: list[Line]


def form_103(user: User, scope: Scope, year: int) -> list[Section]:
    period = Period(year)
    return [
        Section(
            _("1. Children left without parental care and admitted to institutions"),
            _indicator_lines("1.1", "admissions", scope, period, by="ground")
            + _indicator_lines("1.2", "removals", scope, period),
        ),
        Section(
            _("2. Family placement"),
            _databank_lines("2", user, scope, year),
        ),
        Section(
            _("3. Children in institutions at the end of the year"),
            _indicator_lines("3.1", "in_care", scope, period, by="type")
            + _indicator_lines("3.2", "in_care_0_4", scope, period)
            + _indicator_lines("3.3", "in_care_over_year", scope, period)
            + _indicator_lines("3.4", "discharges", scope, period, by="outcome")
            + _indicator_lines("3.5", "returns_home", scope, period),
        ),
        Section(
            _("4. Prevention"),
            _indicator_lines("4.1", "families_sop", scope, period)
            + _indicator_lines("4.2", "children_sop", scope, period)
            + _indicator_lines("4.3", "cases_opened", scope, period)
            + _indicator_lines("4.4", "cases_closed", scope, period, by="ground"),
        ),
    ]


def rows(sections: list[Section]) -> list[list[str | int | None]]:
    """The form as table rows (number, line, value) for XLSX and PDF."""
    out: list[list[str | int | None]] = []
    for section in sections:
        out.append([section.title, "", ""])
        for line in section.lines:
            value = line.figure.value
            label = ("    " * line.level) + line.label
            cell = int(value) if value is not None and not line.figure.hidden else line.figure.text
            out.append([line.number, label, cell])
    return out
