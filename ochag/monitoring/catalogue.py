"""The indicators Ochag ships over signals, registry and cases (issue 17 §2).

Other apps' indicators (support, care, data bank) are registered the same way from their
own catalogue modules in this app as those apps offer their figures.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ochag.cases import figures as cases
from ochag.monitoring.indicators import (
    FLOW,
    STOCK,
    Count,
    Dimension,
    Flow,
    RecordKind,
    Share,
    date_cell,
    local_date_cell,
)
from ochag.monitoring.periods import Window
from ochag.signals import figures as signals

SIGNALS = "signals"
FAMILIES = "families"
CASES = "cases"


SIGNAL_RECORD = RecordKind(
    columns=[
        (_("Receipt number"), "number"),
        (_("Received"), "received_at"),
        (_("Municipality"), "territory__name"),
        (_("Channel"), "channel"),
        (_("Colour"), "colour"),
        (_("Routed to"), "routed_to__name"),
        (_("Status"), "status"),
    ],
    default_sort="-received_at",
    cells=lambda s: [
        s.number,
        local_date_cell(s.received_at),
        s.territory.name,
        s.get_channel_display(),
        s.get_colour_display(),
        str(s.routed_to or "—"),
        s.get_status_display(),
    ],
    url=lambda s: reverse("signals:detail", args=[s.pk]),
)

CASE_RECORD = RecordKind(
    columns=[
        (_("Case number"), "number"),
        (_("Opened"), "opened_at"),
        (_("Municipality"), "territory__name"),
        (_("Level"), "level"),
        (_("Status"), "status"),
    ],
    default_sort="-opened_at",
    cells=lambda c: [
        c.number,
        local_date_cell(c.opened_at),
        c.territory.name,
        c.get_level_display(),
        c.get_status_display(),
    ],
    url=lambda c: reverse("cases:detail", args=[c.pk]),
)

STATUS_CHANGE_RECORD = RecordKind(
    columns=[
        (_("Case number"), "case__number"),
        (_("Date"), "at"),
        (_("Municipality"), "case__territory__name"),
        (_("Ground"), "ground"),
    ],
    default_sort="-at",
    cells=lambda ch: [
        ch.case.number,
        local_date_cell(ch.at),
        ch.case.territory.name,
        ch.get_ground_display() or "—",
    ],
    url=lambda ch: reverse("cases:detail", args=[ch.case_id]),
)

# Children are listed by registry number and year of birth only: the list says who is
# counted without putting names on a screen; the person's card (need-to-know, logged)
# is one click away for those who may open it.
CHILD_RECORD = RecordKind(
    columns=[
        (_("Registry number"), "person_id"),
        (_("Year of birth"), "person__birth_year"),
        (_("Sex"), "person__sex"),
        (_("Municipality"), "household__territory__name"),
    ],
    default_sort="person_id",
    cells=lambda m: [
        f"№ {m.person_id}",
        m.person.birth_year or "—",
        m.person.get_sex_display() or "—",
        m.household.territory.name,
    ],
    url=lambda m: reverse("registry:person_detail", args=[m.person_id]),
)

TASK_RECORD = RecordKind(
    columns=[
        (_("Case number"), "case__number"),
        (_("Agency"), "owner_agency__name"),
        (_("Deadline"), "due_on"),
        (_("Status"), "status"),
    ],
    default_sort="due_on",
    cells=lambda t: [
        t.case.number,
        str(t.owner_agency),
        date_cell(t.due_on),
        t.get_status_display(),
    ],
    url=lambda t: reverse("cases:detail", args=[t.case_id]),
)

REMOVAL_RECORD = RecordKind(
    columns=[
        (_("Case number"), "case__number"),
        (_("Date of the act"), "act_date"),
        (_("Municipality"), "case__territory__name"),
        (_("Poverty-type grounds only"), "poverty_only"),
    ],
    default_sort="-act_date",
    cells=lambda r: [
        r.case.number,
        date_cell(r.act_date),
        r.case.territory.name,
        _("yes") if r.poverty_only else _("no"),
    ],
    url=lambda r: reverse("cases:detail", args=[r.case_id]),
)

CHANNEL = Dimension("channel", _("Channel"), "channel", choices=signals.CHANNELS.choices)
SOURCE_AGENCY = Dimension(
    "agency", _("Source agency"), "reporting_agency", label_field="reporting_agency__name"
)
COLOUR = Dimension("colour", _("Colour"), "colour", choices=signals.COLOURS.choices)
GROUND = Dimension("ground", _("Ground"), "ground", choices=cases.CLOSURE_GROUNDS.choices)
TASK_AGENCY = Dimension("agency", _("Agency"), "owner_agency", label_field="owner_agency__name")
CASE_LEVEL = Dimension("level", _("Level"), "level", choices=cases.LEVELS.choices)

SIGNALS_SOURCES = _("Signals: all channels (staff form, helpline, public form, API, uploads)")


def _signals_received(path: str) -> Any:
    return signals.signals_in(path)


RECEIVED = Flow("received_at")
ROUTED = Flow("received_at", signals.routed_where)
ON_TIME = Flow("received_at", signals.taken_on_time_where)
OPENED = Flow("opened_at")
CLOSED = Flow("at", lambda: Q(status=cases.CASE_STATUSES.CLOSED))
REOPENED = Flow("at", cases.reopening_where)
REMOVED = Flow("act_date", dates=True)


def _families_at(level: str) -> Any:
    return lambda w: cases.open_at_q(w.moment, level)


def _children_at(level: str) -> Any:
    return lambda w: cases.children_of_open_cases_q(w.moment, level)


def _families(code: str, level: str, name: Any, up_is_good: bool | None) -> Count:
    return Count(
        code=code,
        section=FAMILIES,
        name=name,
        unit=_("families"),
        formula=_(
            "Families (cases) open at the end of the period whose current level is the one named"
        ),
        sources=_("Prevention cases (ИПР)"),
        kind=STOCK,
        up_is_good=up_is_good,
        base=cases.cases_in,
        condition=_families_at(level),
        territory_field="territory",
        record=CASE_RECORD,
        series=lambda path, windows: cases.open_counts(path, _moments(windows), level),
    )


def _moments(windows: dict[str, Window]) -> dict[str, Any]:
    return {key: w.moment for key, w in windows.items()}


def _children(code: str, level: str, name: Any, up_is_good: bool | None) -> Count:
    return Count(
        code=code,
        section=FAMILIES,
        name=name,
        unit=_("children"),
        formula=_(
            "Children of the households whose case is open at the end of the period "
            "at the level named (household members in the role of a child)"
        ),
        sources=_("Prevention cases (ИПР); registry households"),
        kind=STOCK,
        up_is_good=up_is_good,
        base=cases.child_memberships_in,
        condition=_children_at(level),
        territory_field="household__territory",
        record=CHILD_RECORD,
        series=lambda path, windows: cases.children_open_counts(path, _moments(windows), level),
    )


def _signals_count(*, flow: Flow, **own: Any) -> Count:
    """A count of signals received in the region: the signals' family of indicators."""
    return Count(
        section=SIGNALS,
        unit=_("signals"),
        sources=SIGNALS_SOURCES,
        kind=FLOW,
        base=_signals_received,
        condition=flow.condition,
        flow=flow,
        territory_field="territory",
        record=SIGNAL_RECORD,
        **own,
    )


SHIPPED: list[Count | Share] = [
    _signals_count(
        code="signals_received",
        name=_("Signals received"),
        formula=_("Signals received in the period, by channel and by the agency that reported"),
        up_is_good=None,
        flow=RECEIVED,
        dimensions=[CHANNEL, SOURCE_AGENCY, COLOUR],
    ),
    _signals_count(
        code="signals_routed",
        name=_("Signals routed with a due date"),
        formula=_("Signals received in the period and routed to an agency with a due date"),
        up_is_good=None,
        flow=ROUTED,
        dimensions=[CHANNEL, COLOUR],
    ),
    _signals_count(
        code="signals_on_time",
        name=_("Signals taken into work on time"),
        formula=_(
            "Signals routed in the period that the agency took into work no later than the due date"
        ),
        up_is_good=True,
        flow=ON_TIME,
        dimensions=[CHANNEL, COLOUR],
    ),
    Share(
        code="signals_on_time_share",
        section=SIGNALS,
        name=_("Share of signals routed on time"),
        formula=_("Signals taken into work on time ÷ signals routed with a due date × 100"),
        sources=SIGNALS_SOURCES,
        up_is_good=True,
        numerator="signals_on_time",
        denominator="signals_routed",
    ),
    _families("families_sop", cases.LEVELS.SOP, _("Families in SOP"), False),
    _children("children_sop", cases.LEVELS.SOP, _("Children in SOP families"), False),
    _families("families_tzhs", cases.LEVELS.TZHS, _("Families in TZhS"), None),
    _children("children_tzhs", cases.LEVELS.TZHS, _("Children in TZhS families"), None),
    _families("families_early", cases.LEVELS.EARLY, _("Families in early distress"), None),
    _children(
        "children_early", cases.LEVELS.EARLY, _("Children in families in early distress"), None
    ),
    Count(
        code="cases_opened",
        section=CASES,
        name=_("Cases opened"),
        unit=_("cases"),
        formula=_("Prevention cases opened in the period"),
        sources=_("Prevention cases (ИПР)"),
        kind=FLOW,
        up_is_good=None,
        base=cases.cases_in,
        condition=OPENED.condition,
        flow=OPENED,
        territory_field="territory",
        record=CASE_RECORD,
        dimensions=[CASE_LEVEL],
    ),
    Count(
        code="cases_closed",
        section=CASES,
        name=_("Cases closed"),
        unit=_("cases"),
        formula=_("Closures of prevention cases in the period, by ground"),
        sources=_("Prevention cases (ИПР): status history"),
        kind=FLOW,
        up_is_good=None,
        base=cases.status_changes_in,
        condition=CLOSED.condition,
        flow=CLOSED,
        territory_field="case__territory",
        record=STATUS_CHANGE_RECORD,
        dimensions=[GROUND],
    ),
    Count(
        code="cases_reopened",
        section=CASES,
        name=_("Cases reopened"),
        unit=_("cases"),
        formula=_("Prevention cases re-opened in the period after having been closed"),
        sources=_("Prevention cases (ИПР): status history"),
        kind=FLOW,
        up_is_good=False,
        base=cases.status_changes_in,
        condition=REOPENED.condition,
        flow=REOPENED,
        territory_field="case__territory",
        record=STATUS_CHANGE_RECORD,
    ),
    Count(
        code="tasks_overdue",
        section=CASES,
        name=_("Overdue plan tasks"),
        unit=_("tasks"),
        formula=_(
            "Plan tasks due before the end of the period and not completed by then, by agency"
        ),
        sources=_("Interagency plans: tasks"),
        kind=STOCK,
        up_is_good=False,
        base=cases.tasks_in,
        condition=lambda w: cases.overdue_at_q(w.moment),
        territory_field="case__territory",
        record=TASK_RECORD,
        dimensions=[TASK_AGENCY],
    ),
    Count(
        code="removals",
        section=CASES,
        name=_("Emergency removals"),
        unit=_("removals"),
        formula=_("Emergency removals (СК РФ art. 77) whose act is dated in the period"),
        sources=_("Prevention cases: removals"),
        kind=FLOW,
        up_is_good=False,
        base=cases.removals_in,
        condition=REMOVED.condition,
        flow=REMOVED,
        territory_field="case__territory",
        record=REMOVAL_RECORD,
    ),
]


SECTION_LABELS: dict[str, Any] = {
    SIGNALS: _("Signals"),
    FAMILIES: _("Families and children"),
    CASES: _("Cases and plans"),
}
