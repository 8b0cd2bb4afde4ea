"""The cost of institutional care against family support (issue 17 §2), for a period:

* **institutional care** — the child-months children spent in institutions in the period
  (each placement's days inside it ÷ 30.44) × the region's cost per child-month of the
  institution's type (care's cost table);
* **family support** — the family-months families were being served in the period (each
  started referral's days inside it until closed) × its service's cost per family-month
  (support's directory), or the region's manual figure where a service has no cost.

The children and referrals counted are two indicators of their own (``in_care_during``,
``support_in_service``), so each number opens the list it is computed from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ochag.care import figures as care
from ochag.monitoring import indicators as registry
from ochag.monitoring.care_indicators import PLACEMENTS, TYPE
from ochag.monitoring.indicators import FLOW, Count
from ochag.monitoring.periods import Period, Window
from ochag.monitoring.selectors import Figure, Scope, list_url
from ochag.monitoring.support_indicators import REFERRALS, SERVICE
from ochag.monitoring.suppression import is_small
from ochag.support import figures as support

DAYS_PER_MONTH = 365.25 / 12

# Both count the records present on at least one day of the period: a flow's kind, but no
# single event's date to group by month.
IN_CARE_DURING = PLACEMENTS.count(
    code="in_care_during",
    name=gettext_lazy("Children in institutions during the period"),
    formula=gettext_lazy(
        "Children in residential institutions on at least one day of the period "
        "(the cost of institutional care is counted over their days in care)"
    ),
    kind=FLOW,
    up_is_good=False,
    condition=lambda w: care.in_care_during_q(w.start.date(), w.end.date()),
    dimensions=[TYPE],
)
IN_SERVICE = REFERRALS.count(
    code="support_in_service",
    name=gettext_lazy("Families being served"),
    formula=gettext_lazy(
        "Referrals whose service had started and was running on at least one day of the "
        "period (the cost of family support is counted over those days)"
    ),
    kind=FLOW,
    up_is_good=True,
    condition=lambda w: support.in_service_during_q(w.start, w.end),
    dimensions=[SERVICE],
)
COST_INDICATORS = [IN_CARE_DURING, IN_SERVICE]


def _days(start: dt.date, end: dt.date | None, first: dt.date, after_last: dt.date) -> int:
    """Days of ``[start, end)`` (``end`` None: still running) inside ``[first, after_last)``."""
    low = max(start, first)
    high = min(end or after_last, after_last)
    return max((high - low).days, 0)


@dataclass
class Side:
    count: Figure  # children or referrals, opening their list
    months: float  # child-months or family-months in the period
    roubles: float | None  # None when part of it has no cost in the tables
    uncosted: int = 0

    @property
    def per_month(self) -> float | None:
        if self.roubles is None or not self.months:
            return None
        return self.roubles / self.months


@dataclass
class Comparison:
    institution: Side
    family: Side
    hidden: bool

    @property
    def ratio(self) -> float | None:
        a, b = self.institution.per_month, self.family.per_month
        return a / b if a is not None and b else None

    @property
    def texts(self) -> dict[str, str]:
        def money(value: float | None) -> str:
            if value is None or self.hidden:
                return "—"
            return formats.number_format(round(value), 0, force_grouping=True) + " ₽"

        def months(value: float) -> str:
            return "—" if self.hidden else formats.number_format(round(value, 1), 1, True)

        ratio = self.ratio
        return {
            "institution_roubles": money(self.institution.roubles),
            "institution_months": months(self.institution.months),
            "institution_per_month": money(self.institution.per_month),
            "family_roubles": money(self.family.roubles),
            "family_months": months(self.family.months),
            "family_per_month": money(self.family.per_month),
            "ratio": "—"
            if ratio is None or self.hidden
            else formats.number_format(round(ratio, 1), 1, True),
        }


def _region_id(scope: Scope) -> int | None:
    region = scope.territory if scope.is_region else scope.territory.region
    return region.pk if region is not None else None


def _figure(indicator: Count, value: int, scope: Scope, period: Period) -> Figure:
    if scope.aggregate_only and is_small(value):
        return Figure(None, _("fewer than 5"), hidden=True)
    url = list_url(indicator, scope, period) if scope.may_drill else None
    text = formats.number_format(value, 0, force_grouping=True)
    return Figure(value, text, url=url)


@dataclass(frozen=True)
class CostFacts:
    """What the comparison is computed from, for one territory and window: kept by a
    refresh (``snapshots.py``) as read at its moment, or read live."""

    children: int
    child_days: int
    cost: float | None  # None when a type has no cost in the table
    uncosted: int
    referrals: int
    family_days: int
    family_cost: float


type CostTables = tuple[dict[str, float], float]


def cost_tables(region_id: int | None) -> CostTables:
    """The region's cost per child-month by institution type, and its manual cost of a
    family-month of support (two queries)."""
    if region_id is None:
        return {}, 0.0
    return care.cost_per_child_month(region_id), care.family_month_cost(region_id)


def cost_facts(path: str, tables: CostTables, window: Window) -> CostFacts:
    """Two queries: the placements and the referrals."""
    first = window.start.date()
    after_last = min(window.end.date(), timezone.localdate(window.moment) + dt.timedelta(days=1))
    per_type, fallback = tables
    placements = registry.rows(IN_CARE_DURING, path, window).values_list(
        "admitted_on", "discharged_on", "institution__type"
    )
    child_days = 0
    cost: float | None = 0.0
    uncosted = 0
    n_children = 0
    for admitted, discharged, kind in placements.order_by():
        n_children += 1
        days = _days(admitted, discharged, first, after_last)
        child_days += days
        if kind not in per_type:
            uncosted += 1
        elif cost is not None:
            cost += per_type[kind] * days / DAYS_PER_MONTH
    if uncosted:
        cost = None
    referrals = registry.rows(IN_SERVICE, path, window).values_list(
        "start_date", "closed_at", "service__cost_per_family_month"
    )
    family_days = 0
    family_cost = 0.0
    n_referrals = 0
    for started, closed, service_cost in referrals.order_by():
        n_referrals += 1
        closed_day = timezone.localtime(closed).date() if closed else None
        days = _days(started, closed_day, first, after_last)
        family_days += days
        month = float(service_cost) if service_cost is not None else fallback
        family_cost += month * days / DAYS_PER_MONTH
    return CostFacts(n_children, child_days, cost, uncosted, n_referrals, family_days, family_cost)


def compare(scope: Scope, period: Period, facts: CostFacts | None = None) -> Comparison:
    """The comparison for the dashboard: from ``facts`` (kept by a refresh) or read live."""
    if facts is None:
        facts = cost_facts(scope.path, cost_tables(_region_id(scope)), period.window)
    hidden = scope.aggregate_only and (is_small(facts.children) or is_small(facts.referrals))
    return Comparison(
        institution=Side(
            _figure(IN_CARE_DURING, facts.children, scope, period),
            facts.child_days / DAYS_PER_MONTH,
            facts.cost,
            facts.uncosted,
        ),
        family=Side(
            _figure(IN_SERVICE, facts.referrals, scope, period),
            facts.family_days / DAYS_PER_MONTH,
            facts.family_cost,
        ),
        hidden=hidden,
    )
