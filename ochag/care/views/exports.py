"""XLSX exports of the care app, through core's export helper (formula-like cells
neutralised, the export audited): the register of institutions and the children in care as
their lists show them (the same filters, search and order from the URL), and a sitting's
agenda with its decisions. Exports that name children also log the read of each child."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.access.requests import user_of
from ochag.care import policies, selectors
from ochag.care.models import AgendaItem, Institution, Placement
from ochag.care.views.institutions import institution_table
from ochag.care.views.placements import children_table
from ochag.core.exports import Row, table_export
from ochag.core.policies import Action
from ochag.core.services import access_log_record_many


def _date(value: object) -> str:
    return value.strftime("%d.%m.%Y") if value else ""  # type: ignore[attr-defined]


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def institutions_xlsx(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    policies.institutions.require(user, Action.EXPORT)
    table, _period = institution_table(request, user)
    rows: list[Institution] = list(table.page.paginator.object_list)
    header: Row = [
        _("Name"),
        _("Type"),
        _("Municipality"),
        _("Address"),
        _("Operating agency"),
        _("Children in care"),
        _("Capacity (places)"),
        _("Distance to the regional centre, km"),
        _("Travel time, minutes"),
        _("Remote"),
        _("Last visit"),
        _("Target model"),
        _("Transformation status"),
        _("Operating"),
    ]
    body: Iterator[Row] = (
        [
            i.name,
            i.get_type_display(),
            i.territory.name,
            i.address,
            str(i.operating_agency),
            i.in_care,  # type: ignore[attr-defined]
            i.capacity,
            i.distance_km,
            i.travel_minutes,
            _yes(i.is_remote),
            _date(i.last_visit_on),
            i.transformation_target,
            i.get_transformation_status_display(),
            _yes(i.is_active),
        ]
        for i in rows
    )
    return table_export(
        actor=user,
        what="care_institutions",
        filename=f"care-institutions-{timezone.localdate():%Y-%m-%d}.xlsx",
        header=header,
        rows=body,
    )


def children_xlsx(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not user.sees_personal_data:
        raise PermissionDenied
    policies.placements.require(user, Action.EXPORT)
    today = timezone.localdate()
    rows: list[Placement] = list(children_table(request, user).page.paginator.object_list)
    access_log_record_many(actor=user, objs=rows, purpose="care: children list export")
    header: Row = [
        _("Last name"),
        _("First name"),
        _("Patronymic"),
        _("Year of birth"),
        _("Institution"),
        _("Admitted on"),
        _("Length of stay"),
        _("Ground"),
        _("Family-legal status"),
        _("Family's municipality"),
        _("Agreed term of stay"),
        _("Overseer"),
        _("Discharged on"),
        _("Outcome"),
    ]
    body: Iterator[Row] = (
        [
            p.child.last_name,
            p.child.first_name,
            p.child.patronymic,
            p.child.birth_year,
            p.institution.name,
            _date(p.admitted_on),
            selectors.stay_text(p.admitted_on, p.discharged_on or today),
            p.get_ground_display(),
            p.get_legal_status_display(),
            p.family_territory.name,
            _date(p.term_until),
            (p.overseer.get_full_name() or p.overseer.username) if p.overseer else "",
            _date(p.discharged_on),
            p.get_outcome_display() if p.outcome else "",
        ]
        for p in rows
    )
    return table_export(
        actor=user,
        what="care_children",
        filename=f"care-children-{today:%Y-%m-%d}.xlsx",
        header=header,
        rows=body,
    )


def _confirmed_by(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def sitting_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    sitting = policies.sittings.get_allowed(user, Action.EXPORT, pk=pk)
    items: list[AgendaItem] = list(selectors.agenda(sitting))
    access_log_record_many(
        actor=user, objs=[i.placement for i in items], purpose=f"care: agenda export {sitting}"
    )
    header: Row = [
        "№",
        _("Last name"),
        _("First name"),
        _("Year of birth"),
        _("Institution"),
        _("Ground"),
        _("Admitted on"),
        _("Length of stay"),
        _("Kind of review"),
        _("Review due"),
        _("Why on the agenda first"),
        _("Decision"),
        _("Justified until"),
        _("Reasons"),
        _("Measure to take"),
        _("Chair confirmed"),
        _("Secretary confirmed"),
        _("Reviewed"),
    ]
    body: Iterator[Row] = (
        [
            n,
            i.placement.child.last_name,
            i.placement.child.first_name,
            i.placement.child.birth_year,
            i.placement.institution.name,
            i.placement.get_ground_display(),
            _date(i.placement.admitted_on),
            selectors.stay_text(i.placement.admitted_on, sitting.date),
            i.get_kind_display(),
            _date(i.due_on),
            i.priority_reason,
            i.get_decision_display() if i.decision else "",
            _date(i.justified_until),
            i.reasons,
            i.get_action_display() if i.action else "",
            _confirmed_by(i.chair_confirmed_by),
            _confirmed_by(i.secretary_confirmed_by),
            _date(i.done_on),
        ]
        for n, i in enumerate(items, start=1)
    )
    return table_export(
        actor=user,
        what="care_agenda",
        filename=f"care-agenda-{sitting.number}.xlsx",
        header=header,
        rows=body,
        obj=sitting,
    )
