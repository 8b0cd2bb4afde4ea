"""Writes on a child's stay: admission, overseer, parents' contacts, reintegration plan,
discharge.

An admission creates its admission review, due within the region's deadline in working days
(the placement commission reviews every admission). An admission at the parents' request,
or one resting on a removal the cases app flagged as poverty-only, goes straight onto the
agenda of the commission's next sitting (:func:`ochag.care.services.agenda.agenda_enqueue`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.care.models import (
    AgendaItem,
    CareAction,
    ContactKind,
    Ground,
    Institution,
    ParentContact,
    Placement,
    ReviewKind,
)
from ochag.care.selectors import settings_for
from ochag.care.services.agenda import agenda_enqueue
from ochag.cases import selectors as case_selectors
from ochag.cases import services as case_services
from ochag.cases.models import Case
from ochag.core.calendar import add_working_days
from ochag.core.models import Territory
from ochag.core.services import audit_record
from ochag.registry.models import Household, Person

# The reintegration task on the family's case plan is due within this many working days.
PLAN_TASK_DAYS = 20


def priority_reason(placement: Placement) -> str:
    """Why the admission goes to the next sitting first (issue 15, commission item 4)."""
    if placement.poverty_only:
        return _("Removal on poverty-type grounds only")
    if placement.ground == Ground.PARENTS_REQUEST:
        return _("Placed at the parents' request")
    return ""


@transaction.atomic
def placement_admit(
    *,
    actor: User,
    child: Person,
    institution: Institution,
    admitted_on: dt.date,
    ground: str,
    act_number: str,
    act_date: dt.date,
    family_territory: Territory,
    legal_status: str,
    placing_agency: Agency | None = None,
    household: Household | None = None,
    family_case: Case | None = None,
    term_until: dt.date | None = None,
) -> Placement:
    placing_agency = placing_agency or actor.agency
    if placing_agency is None:
        raise ValidationError(_("The placing body must be an agency."))
    if admitted_on > timezone.localdate():
        raise ValidationError({"admitted_on": _("The date cannot be in the future.")})
    if term_until is not None and term_until <= admitted_on:
        raise ValidationError({"term_until": _("The term must end after the admission.")})
    if family_case is not None and household is None:
        household = family_case.household
    poverty_only = (
        ground == Ground.REMOVAL
        and family_case is not None
        and case_selectors.flagged_case_ids().filter(case_id=family_case.pk).exists()
    )
    placement = Placement(
        child=child,
        institution=institution,
        region=institution.region,
        admitted_on=admitted_on,
        ground=ground,
        act_number=act_number.strip(),
        act_date=act_date,
        placing_agency=placing_agency,
        family_territory=family_territory,
        legal_status=legal_status,
        household=household,
        family_case=family_case,
        poverty_only=poverty_only,
        term_until=term_until,
        recorded_by=actor,
    )
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError as exc:
        raise ValidationError({"child": _("The child is already in care.")}) from exc
    settings = settings_for(institution.region)
    review = AgendaItem.objects.create(
        placement=placement,
        kind=ReviewKind.ADMISSION,
        due_on=add_working_days(
            admitted_on, settings.admission_review_days, territory=institution.territory
        ),
        priority_reason=priority_reason(placement),
    )
    audit_record(
        actor=actor,
        action=CareAction.ADMITTED,
        obj=placement,
        territory=institution.territory,
        detail={
            "child": child.pk,
            "institution": institution.pk,
            "ground": ground,
            "poverty_only": poverty_only,
            "review_due": review.due_on.isoformat(),
        },
    )
    if review.priority_reason:
        agenda_enqueue(actor=actor, items=[review])
    return placement


def _bump(placement: Placement, **fields: object) -> None:
    Placement.objects.filter(pk=placement.pk).update(version=F("version") + 1, **fields)
    for name, value in fields.items():
        setattr(placement, name, value)


@transaction.atomic
def overseer_assign(*, actor: User, placement: Placement, overseer: User) -> Placement:
    if overseer.agency_id is None or not overseer.is_active:
        raise ValidationError({"overseer": _("The overseer must be active staff of an agency.")})
    before = placement.overseer_id
    _bump(placement, overseer=overseer)
    audit_record(
        actor=actor,
        action=CareAction.OVERSEER_ASSIGNED,
        obj=placement,
        territory=placement.institution.territory,
        detail={"from": before, "to": overseer.pk},
    )
    return placement


@transaction.atomic
def contact_record(
    *, actor: User, placement: Placement, on: dt.date, kind: str, who: str, note: str = ""
) -> ParentContact:
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if on < placement.admitted_on:
        raise ValidationError({"on": _("The date is before the admission.")})
    if kind != ContactKind.NONE and not who.strip():
        raise ValidationError({"who": _("Name who came or called.")})
    contact = ParentContact.objects.create(
        placement=placement, on=on, kind=kind, who=who.strip(), note=note.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=CareAction.CONTACT_RECORDED,
        obj=placement,
        territory=placement.institution.territory,
        detail={"contact": contact.pk, "kind": kind, "on": on.isoformat()},
    )
    return contact


@transaction.atomic
def reintegration_plan_open(
    *, actor: User, placement: Placement, goal: str, barriers: str = "", curator: User | None = None
) -> Placement:
    """The child's plan home: linked to the birth family's prevention case, opened through
    the cases app when the family has none; its first task goes on the case's plan."""
    if not goal.strip():
        raise ValidationError({"goal": _("Write the goal of the plan.")})
    case = placement.family_case
    curator = curator or placement.overseer or actor
    if case is None:
        if placement.household is None:
            raise ValidationError(
                _("Link the child's birth family first: a prevention case is opened for it.")
            )
        case = case_services.case_open(
            actor=actor,
            household=placement.household,
            curator=curator,
            legal_basis=_("Reintegration of a child placed in an institution"),
        )
    if curator.agency is None:
        raise ValidationError(_("The curator must belong to an agency."))
    case_services.task_add(
        actor=actor,
        case=case,
        title=_("Prepare the return of %(child)s home") % {"child": placement.child},
        description=goal.strip(),
        owner_agency=curator.agency,
        start_date=timezone.localdate(),
        deadline_days=PLAN_TASK_DAYS,
    )
    _bump(
        placement,
        family_case=case,
        plan_goal=goal.strip(),
        barriers=barriers.strip() or placement.barriers,
        plan_opened_on=placement.plan_opened_on or timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action=CareAction.PLAN_OPENED,
        obj=placement,
        territory=placement.institution.territory,
        detail={"case": case.pk},
    )
    return placement


@transaction.atomic
def placement_discharge(
    *, actor: User, placement: Placement, discharged_on: dt.date, outcome: str
) -> Placement:
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if locked.discharged_on is not None:
        raise ValidationError(_("The child has already left the institution."))
    if discharged_on < placement.admitted_on or discharged_on > timezone.localdate():
        raise ValidationError(
            {"discharged_on": _("The date must be between the admission and today.")}
        )
    _bump(placement, discharged_on=discharged_on, outcome=outcome)
    audit_record(
        actor=actor,
        action=CareAction.DISCHARGED,
        obj=placement,
        territory=placement.institution.territory,
        detail={"on": discharged_on.isoformat(), "outcome": outcome},
    )
    return placement
