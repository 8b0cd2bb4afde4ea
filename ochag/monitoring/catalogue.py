"""The indicators Ochag ships over signals, registry and cases (issue 17 §2).

Other apps' indicators (support, care, data bank) are registered the same way from their
own catalogue modules in this app as those apps offer their figures.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ochag.cases import figures as cases
from ochag.monitoring.indicators import (
    Count,
    Dimension,
    Family,
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


def _moments(windows: dict[str, Window]) -> dict[str, Any]:
    return {key: w.moment for key, w in windows.items()}


CASES_SOURCES = _("Prevention cases (ИПР)")
STATUS_SOURCES = _("Prevention cases (ИПР): status history")
SIGNALS_FAMILY = Family(
    section=SIGNALS,
    unit=_("signals"),
    sources=SIGNALS_SOURCES,
    base=_signals_received,
    territory_field="territory",
    record=SIGNAL_RECORD,
)
OPEN_FAMILIES = Family(
    section=FAMILIES,
    unit=_("families"),
    sources=CASES_SOURCES,
    base=cases.cases_in,
    territory_field="territory",
    record=CASE_RECORD,
)
OPEN_CHILDREN = Family(
    section=FAMILIES,
    unit=_("children"),
    sources=_("Prevention cases (ИПР); registry households"),
    base=cases.child_memberships_in,
    territory_field="household__territory",
    record=CHILD_RECORD,
)
CASES_FAMILY = replace(OPEN_FAMILIES, section=CASES, unit=_("cases"))
STATUS_CHANGES = Family(
    section=CASES,
    unit=_("cases"),
    sources=STATUS_SOURCES,
    base=cases.status_changes_in,
    territory_field="case__territory",
    record=STATUS_CHANGE_RECORD,
)


def _families(code: str, level: str, name: Any, up_is_good: bool | None) -> Count:
    return OPEN_FAMILIES.stock(
        _families_at(level),
        code=code,
        name=name,
        formula=_(
            "Families (cases) open at the end of the period whose current level is the one named"
        ),
        up_is_good=up_is_good,
        series=lambda path, windows: cases.open_counts(path, _moments(windows), level),
    )


def _children(code: str, level: str, name: Any, up_is_good: bool | None) -> Count:
    return OPEN_CHILDREN.stock(
        _children_at(level),
        code=code,
        name=name,
        formula=_(
            "Children of the households whose case is open at the end of the period "
            "at the level named (household members in the role of a child)"
        ),
        up_is_good=up_is_good,
        series=lambda path, windows: cases.children_open_counts(path, _moments(windows), level),
    )


SHIPPED: list[Count | Share] = [
    SIGNALS_FAMILY.flow(
        RECEIVED,
        code="signals_received",
        name=_("Signals received"),
        formula=_("Signals received in the period, by channel and by the agency that reported"),
        up_is_good=None,
        dimensions=[CHANNEL, SOURCE_AGENCY, COLOUR],
    ),
    SIGNALS_FAMILY.flow(
        ROUTED,
        code="signals_routed",
        name=_("Signals routed with a due date"),
        formula=_("Signals received in the period and routed to an agency with a due date"),
        up_is_good=None,
        dimensions=[CHANNEL, COLOUR],
    ),
    SIGNALS_FAMILY.flow(
        ON_TIME,
        code="signals_on_time",
        name=_("Signals taken into work on time"),
        formula=_(
            "Signals routed in the period that the agency took into work no later than the due date"
        ),
        up_is_good=True,
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
    CASES_FAMILY.flow(
        OPENED,
        code="cases_opened",
        name=_("Cases opened"),
        formula=_("Prevention cases opened in the period"),
        up_is_good=None,
        dimensions=[CASE_LEVEL],
    ),
    STATUS_CHANGES.flow(
        CLOSED,
        code="cases_closed",
        name=_("Cases closed"),
        formula=_("Closures of prevention cases in the period, by ground"),
        up_is_good=None,
        dimensions=[GROUND],
    ),
    STATUS_CHANGES.flow(
        REOPENED,
        code="cases_reopened",
        name=_("Cases reopened"),
        formula=_("Prevention cases re-opened in the period after having been closed"),
        up_is_good=False,
    ),
    Family(
        section=CASES,
        unit=_("tasks"),
        sources=_("Interagency plans: tasks"),
        base=cases.tasks_in,
        territory_field="case__territory",
        record=TASK_RECORD,
    ).stock(
        lambda w: cases.overdue_at_q(w.moment),
        code="tasks_overdue",
        name=_("Overdue plan tasks"),
        formula=_(
            "Plan tasks due before the end of the period and not completed by then, by agency"
        ),
        up_is_good=False,
        dimensions=[TASK_AGENCY],
    ),
    Family(
        section=CASES,
        unit=_("removals"),
        sources=_("Prevention cases: removals"),
        base=cases.removals_in,
        territory_field="case__territory",
        record=REMOVAL_RECORD,
    ).flow(
        REMOVED,
        code="removals",
        name=_("Emergency removals"),
        formula=_("Emergency removals (СК РФ art. 77) whose act is dated in the period"),
        up_is_good=False,
    ),
]


SECTION_LABELS: dict[str, Any] = {
    SIGNALS: _("Signals"),
    FAMILIES: _("Families and children"),
    CASES: _("Cases and plans"),
}
