"""The risk score under audit (issue 17 §5; domain §10: calibration and overrides audited by
subgroup): for the risk assessments of a period, the distribution of advisory scores and
levels, how often specialists departed from the proposed level and in which direction, and
how many assessments were followed by support, by СОП recognition and by removal — by the
child's sex, age band, disability, municipality and family type.

**The unit is a child of an assessed family, once per assessment**: an assessment of a family
with three children counts three times, so the groups of every breakdown add up to the same
total. A family with no child on its household record counts once, its child's groups «not
given». An outcome *follows* an assessment when it comes after it and before the case's next
assessment (or now): a referral sent (support), a КДН resolution recognising СОП, an
emergency removal (of that child; of anyone for a family with no child recorded).

Groups are read from what Ochag records, nothing is inferred from names:
sex and year of birth from the registry; **the child's disability** from the registry's
disability status in effect on the assessment day (the category «ребёнок-инвалид» or a
disability group: «yes»; recorded as not established: «no»; nothing recorded: «not given»);
**disability in the family** from the signals about it (the screening indicator «a family
member with a disability needs care»); **single parent** — one parent or guardian in the
household at the assessment; **large family** — three or more children in it; **low
income** — the assessment answered «chronic low income or long unemployment» yes or partly,
or a signal about the family recorded chronic low income.

**What stands out**: each group's rate is compared with the rate of the other children
(everyone assessed outside the group). A rate is marked when the difference is at least the
practical threshold (``gap``, percentage points) *and* unlikely to be chance: the two-sided
test of two proportions (:mod:`ochag.monitoring.stats`: Fisher's exact test for small
expected counts, the z-test otherwise) has a p-value under 5 % after the Benjamini–Hochberg
correction for every comparison the page makes. Children of one family share its outcomes,
so the test takes them as more independent than they are: a mark asks for a closer look, it
does not prove unequal treatment.

Aggregates only: no list, no names. A group of 1–4 children is shown as «менее 5» with a
second group hidden where the breakdown's total would reveal it (hidden groups are not
tested); for aggregate-only readers a rate is hidden as well when its count or the rest is
under 5.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ochag.cases import figures as cases
from ochag.core.models import Territory
from ochag.monitoring.indicators import Label
from ochag.monitoring.periods import Window
from ochag.monitoring.selectors import Scope
from ochag.monitoring.stats import ALPHA, benjamini_hochberg, two_proportions_p
from ochag.monitoring.suppression import hidden_cells, is_small, share_hidden
from ochag.registry import figures as registry
from ochag.signals import figures as signals
from ochag.support import figures as support

DISABILITY_CODES = ("disabled_member_care",)
LOW_INCOME_CODES = ("low_income",)
NOT_GIVEN = "none"
# Percentage points a group's rate must differ from the rest's to stand out (besides being
# statistically significant): a difference too small to act on is not marked however sure.
DEFAULT_GAP = 10
AGE_BANDS = ((0, 4, "0–4"), (5, 9, "5–9"), (10, 13, "10–13"), (14, 17, "14–17"))
SCORE_BANDS = ((0, 0), (1, 3), (4, 7), (8, 11), (12, 15), (16, 19), (20, 29), (30, None))

# (key, label): the rates every group is compared on.
RATES: tuple[tuple[str, Label], ...] = (
    ("proposed_sop", gettext_lazy("Score proposed SOP")),
    ("decided_sop", gettext_lazy("Specialist decided SOP")),
    ("up", gettext_lazy("Level raised against the proposal")),
    ("down", gettext_lazy("Level lowered against the proposal")),
    ("support", gettext_lazy("Support followed")),
    ("sop", gettext_lazy("SOP recognised by the KDN")),
    ("removal", gettext_lazy("Removal followed")),
)
DIMENSIONS: tuple[tuple[str, Label], ...] = (
    ("sex", gettext_lazy("Child's sex")),
    ("age", gettext_lazy("Child's age at the assessment")),
    ("disability", gettext_lazy("Child's disability")),
    ("family_disability", gettext_lazy("Disability in the family (signals)")),
    ("municipality", gettext_lazy("Municipality")),
    ("single_parent", gettext_lazy("Single parent")),
    ("large_family", gettext_lazy("Large family (3+ children)")),
    ("low_income", gettext_lazy("Low income")),
)


@dataclass(frozen=True)
class ChildRow:
    """One child of an assessed family for one assessment: no names."""

    assessment: int
    score: int
    proposed: str
    decided: str
    groups: dict[str, str]
    outcomes: frozenset[str]  # "support", "sop", "removal"

    def has(self, rate: str) -> bool:
        order = cases.LEVEL_ORDER
        if rate == "proposed_sop":
            return self.proposed == cases.LEVELS.SOP
        if rate == "decided_sop":
            return self.decided == cases.LEVELS.SOP
        if rate == "up":
            return order[self.decided] > order[self.proposed]
        if rate == "down":
            return order[self.decided] < order[self.proposed]
        return rate in self.outcomes


def _active(member: dict[str, Any], day: dt.date) -> bool:
    return (member["since"] is None or member["since"] <= day) and (
        member["until"] is None or member["until"] >= day
    )


def _age_band(member: dict[str, Any], day: dt.date) -> str:
    year = member["birth_year"]
    if not year:
        return NOT_GIVEN
    age = day.year - year
    if member["birth_month"] and (day.month, day.day) < (
        member["birth_month"],
        member["birth_day"] or 1,
    ):
        age -= 1
    for low, high, key in AGE_BANDS:
        if low <= age <= high:
            return key
    return "18+" if age >= 18 else NOT_GIVEN


def _disability(
    history: dict[int, list[tuple[dt.date, str]]], child: dict[str, Any] | None, day: dt.date
) -> str:
    if child is None:
        return NOT_GIVEN
    disabled = registry.disabled_on(history.get(child["person_id"], []), day)
    return NOT_GIVEN if disabled is None else ("yes" if disabled else "no")


def _follows(moments: Iterable[Any], start: Any, end: Any | None) -> bool:
    return any(m >= start and (end is None or m < end) for m in moments)


def facts(path: str, window: Window) -> list[ChildRow]:
    """The rows the audit aggregates, read through the cases, support, signals and registry
    faces in a fixed number of queries (ten, whatever the number of assessments)."""
    assessments = cases.risk_assessment_facts(path, window.start, window.end)
    if not assessments:
        return []
    case_ids = cases.assessed_cases(path, window.start, window.end)
    household_ids = cases.assessed_households(path, window.start, window.end)
    times = cases.assessment_times(case_ids)
    recognitions = cases.sop_recognitions(case_ids)
    removals = cases.removals_of(case_ids)
    referrals = support.referral_times(case_ids)
    members: dict[int, list[dict[str, Any]]] = {}
    for member in registry.household_members(household_ids):
        members.setdefault(member["household_id"], []).append(member)
    disabled = signals.households_with_indicator(household_ids, DISABILITY_CODES)
    child_ids = {
        m["person_id"] for ms in members.values() for m in ms if m["role"] == cases.CHILD_ROLE
    }
    disability = registry.disability_history(child_ids)
    poor = signals.households_with_indicator(household_ids, LOW_INCOME_CODES)
    out: list[ChildRow] = []
    for a in assessments:
        at = a["at"]
        later = [t for t in times.get(a["case_id"], []) if t > at]
        until = min(later) if later else None
        day = timezone.localtime(at).date()
        until_day = timezone.localtime(until).date() if until else None
        present = [m for m in members.get(a["household_id"], []) if _active(m, day)]
        children = [m for m in present if m["role"] == cases.CHILD_ROLE]
        carers = [m for m in present if m["role"] in cases.CARER_ROLES]
        family = {
            "family_disability": "yes" if a["household_id"] in disabled else "no",
            "municipality": str(a["territory_id"]),
            "single_parent": "yes" if len(carers) == 1 else "no",
            "large_family": "yes" if len(children) >= 3 else "no",
            "low_income": "yes"
            if cases.low_income_answered(a["answers"]) or a["household_id"] in poor
            else "no",
        }
        outcomes = set()
        if _follows(referrals.get(a["case_id"], []), at, until):
            outcomes.add("support")
        if _follows(recognitions.get(a["case_id"], []), day, until_day):
            outcomes.add("sop")
        case_removals = [
            (d, kids)
            for d, kids in removals.get(a["case_id"], [])
            if d >= day and (until_day is None or d < until_day)
        ]
        listed: list[dict[str, Any] | None] = list(children) or [None]
        for child in listed:
            removed = any(child is None or child["person_id"] in kids for _d, kids in case_removals)
            groups = family | {
                "sex": (child["sex"] or NOT_GIVEN) if child else NOT_GIVEN,
                "age": _age_band(child, day) if child else NOT_GIVEN,
                "disability": _disability(disability, child, day),
            }
            out.append(
                ChildRow(
                    assessment=a["pk"],
                    score=a["score"],
                    proposed=a["proposed_level"],
                    decided=a["level"],
                    groups=groups,
                    outcomes=frozenset(outcomes | ({"removal"} if removed else set())),
                )
            )
    return out


@dataclass
class Cell:
    text: str
    value: float | None = None
    hidden: bool = False
    flag: str = ""  # "above" / "below" the rest: significant and at least the gap apart
    # The comparison with the rest of the children, for a rate shown beside one:
    rest: float | None = None  # the rest's rate, %
    p: float | None = None  # two-sided p-value of the test
    q: float | None = None  # the p-value after the page's Benjamini–Hochberg correction


@dataclass
class GroupRow:
    label: str
    n: Cell
    mean_score: str
    cells: list[Cell]

    @property
    def flagged(self) -> bool:
        return any(c.flag for c in self.cells)


@dataclass
class Table:
    key: str
    label: str
    rows: list[GroupRow]


@dataclass
class Audit:
    assessments: int
    total: GroupRow
    tables: list[Table]
    score_bands: list[tuple[str, Cell]]
    levels: list[tuple[str, list[Cell]]]  # proposed level -> decided level counts
    level_labels: list[str]
    gap: int
    rates: list[str] = field(default_factory=list)
    tests: int = 0  # comparisons made on the page (the correction's number)


def _pct(value: float) -> str:
    return formats.number_format(round(value, 1), 1) + " %"


def _count(value: int, hidden: bool) -> Cell:
    if hidden:
        return Cell(_("fewer than 5"), hidden=True)
    return Cell(formats.number_format(value, 0, force_grouping=True), float(value))


def _group(
    label: str,
    rows: list[ChildRow],
    hidden: bool,
    totals: dict[str, int] | None,
    everyone: int,
    aggregate_only: bool,
) -> GroupRow:
    """A group's rates; with ``totals`` (each rate's count among all ``everyone`` children)
    each shown rate is tested against the rest of the children."""
    n = len(rows)
    if hidden or n == 0:
        empty = [Cell("—", hidden=hidden) for _r in RATES]
        return GroupRow(label, _count(n, hidden), "—", empty)
    cells = []
    for key, _label in RATES:
        k = sum(1 for r in rows if r.has(key))
        if aggregate_only and share_hidden(k, n):
            cells.append(Cell(_("hidden (small numbers)"), hidden=True))
            continue
        cell = Cell(_pct(100.0 * k / n), 100.0 * k / n)
        rest = everyone - n
        if totals is not None and rest > 0:
            cell.rest = 100.0 * (totals[key] - k) / rest
            cell.p = two_proportions_p(k, n, totals[key] - k, rest)
        cells.append(cell)
    mean = formats.number_format(round(sum(r.score for r in rows) / n, 1), 1)
    return GroupRow(label, _count(n, False), mean, cells)


def _mark(tables: list[Table], gap: int) -> int:
    """Flag the rates that stand out: corrected for every comparison on the page, under
    ALPHA and at least ``gap`` points from the rest. Returns the number of comparisons."""
    tested = [c for t in tables for r in t.rows for c in r.cells if c.p is not None]
    for cell, q in zip(tested, benjamini_hochberg([c.p or 0.0 for c in tested]), strict=True):
        cell.q = q
        if cell.value is None or cell.rest is None:  # a tested cell has both
            continue
        if q < ALPHA and abs(cell.value - cell.rest) >= gap:
            cell.flag = "above" if cell.value > cell.rest else "below"
    return len(tested)


def _labels(key: str, values: Iterable[str]) -> dict[str, str]:
    names: dict[str, str]
    if key == "sex":
        names = {k: str(v) for k, v in cases.SEXES.choices}
    elif key == "municipality":
        ids = [int(v) for v in values if v.isdigit()]
        names = {str(t.pk): t.name for t in Territory.objects.filter(pk__in=ids)}
    else:
        names = {"yes": _("yes"), "no": _("no")}
    names[NOT_GIVEN] = _("Not given")
    return {v: names.get(v, v) for v in values}


def _order(key: str, values: set[str]) -> list[str]:
    if key == "age":
        bands = [b for _l, _h, b in AGE_BANDS] + ["18+", NOT_GIVEN]
        return [b for b in bands if b in values]
    if key in ("disability", "family_disability", "single_parent", "large_family", "low_income"):
        return [v for v in ("yes", "no", NOT_GIVEN) if v in values]
    return sorted(values, key=lambda v: (v == NOT_GIVEN, v))


def audit(scope: Scope, window: Window, *, gap: int = DEFAULT_GAP) -> Audit:
    return summarise(
        facts(scope.path, window),
        aggregate_only=scope.aggregate_only,
        by_municipality=scope.is_region,
        gap=gap,
    )


def summarise(
    rows: list[ChildRow], *, aggregate_only: bool, by_municipality: bool, gap: int = DEFAULT_GAP
) -> Audit:
    """The audit of these rows: groups, their comparison with the rest, the distributions."""
    ao = aggregate_only
    everyone = _group(_("All children assessed"), rows, ao and is_small(len(rows)), None, 0, ao)
    totals = {key: sum(1 for r in rows if r.has(key)) for key, _label in RATES}
    tables = []
    for key, label in DIMENSIONS:
        if key == "municipality" and not by_municipality:
            continue
        by: dict[str, list[ChildRow]] = {}
        for row in rows:
            by.setdefault(row.groups[key], []).append(row)
        order = _order(key, set(by))
        names = _labels(key, order)
        if key == "municipality":
            order.sort(key=lambda v: names[v])
        hide = hidden_cells([len(by[v]) for v in order], additive=True)
        groups = [
            _group(names[v], by[v], i in hide, totals, len(rows), ao) for i, v in enumerate(order)
        ]
        tables.append(Table(key, str(label), groups))
    tests = _mark(tables, gap)
    bands = Counter(_band(r.score) for r in rows)
    band_keys = [_band_label(low, high) for low, high in SCORE_BANDS]
    band_values = [bands.get(k, 0) for k in band_keys]
    band_hidden = hidden_cells(band_values, additive=True) if ao else set()
    levels = list(cases.LEVEL_ORDER)
    matrix = Counter((r.proposed, r.decided) for r in rows)
    cells = [matrix.get((p, d), 0) for p in levels for d in levels]
    cell_hidden = hidden_cells(cells, additive=True) if ao else set()
    level_names = dict(cases.LEVELS.choices)
    return Audit(
        assessments=len({r.assessment for r in rows}),
        total=everyone,
        tables=tables,
        score_bands=[
            (k, _count(v, i in band_hidden))
            for i, (k, v) in enumerate(zip(band_keys, band_values, strict=True))
        ],
        levels=[
            (
                str(level_names[p]),
                [
                    _count(cells[i * len(levels) + j], i * len(levels) + j in cell_hidden)
                    for j in range(len(levels))
                ],
            )
            for i, p in enumerate(levels)
        ],
        level_labels=[str(level_names[d]) for d in levels],
        gap=gap,
        rates=[str(label) for _key, label in RATES],
        tests=tests,
    )


def _band(score: int) -> str:
    for low, high in SCORE_BANDS:
        if score >= low and (high is None or score <= high):
            return _band_label(low, high)
    return _band_label(*SCORE_BANDS[0])


def _band_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}–{high}"
