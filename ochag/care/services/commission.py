"""The commission's work: sittings, the agenda, decisions and their four-eyes confirmation.

A decision needs the chair's and the secretary's confirmation; nobody confirms a decision
about a child in an institution their own agency runs or operates (issue 15, item 5). When
both have confirmed, the review is done; «justified until» sets the stay's term and creates
the extension review, due the regional number of working days before the term ends; «not
justified» opens the child's reintegration plan on the family's prevention case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.care.models import (
    AgendaItem,
    CareAction,
    Commission,
    Decision,
    MemberRole,
    Placement,
    ReturnAction,
    ReviewKind,
    Sitting,
    SittingStatus,
)
from ochag.care.policies import open_memberships
from ochag.care.selectors import commission_problems, settings_for
from ochag.care.services.agenda import agenda_enqueue
from ochag.care.services.placements import reintegration_plan_open
from ochag.core.calendar import is_working_day
from ochag.core.services import audit_record


def working_days_before(day: dt.date, days: int, placement: Placement) -> dt.date:
    """The date ``days`` working days before ``day`` (the extension review's due date)."""
    territory = placement.institution.territory
    while days > 0:
        day -= dt.timedelta(days=1)
        if is_working_day(day, territory=territory):
            days -= 1
    return day


@transaction.atomic
def sitting_create(*, actor: User, commission: Commission, date: dt.date, place: str) -> Sitting:
    if date < timezone.localdate():
        raise ValidationError({"date": _("A sitting is planned for today or later.")})
    problems = commission_problems(commission)
    if problems:
        raise ValidationError(
            _("The commission cannot sit yet: %(problems)s") % {"problems": " ".join(problems)}
        )
    last = Sitting.objects.filter(commission=commission).aggregate(n=Max("number"))["n"] or 0
    sitting = Sitting.objects.create(
        commission=commission, number=last + 1, date=date, place=place.strip(), created_by=actor
    )
    audit_record(
        actor=actor,
        action=CareAction.SITTING_CREATED,
        obj=sitting,
        territory=commission.region,
        detail={"date": date.isoformat()},
    )
    waiting = AgendaItem.objects.filter(
        sitting__isnull=True,
        done_on__isnull=True,
        placement__discharged_on__isnull=True,
        placement__region=commission.region,
    ).exclude(priority_reason="")
    agenda_enqueue(actor=actor, items=list(waiting.select_related("placement")), sitting=sitting)
    return sitting


@transaction.atomic
def agenda_add(*, actor: User, sitting: Sitting, items: Sequence[AgendaItem]) -> None:
    if sitting.status != SittingStatus.PLANNED:
        raise ValidationError(_("The sitting is closed."))
    agenda_enqueue(actor=actor, items=items, sitting=sitting)


@transaction.atomic
def agenda_remove(*, actor: User, item: AgendaItem) -> None:
    sitting = item.sitting
    if sitting is None or item.done_on is not None or sitting.status != SittingStatus.PLANNED:
        raise ValidationError(_("Only an undecided review of a planned sitting can be removed."))
    AgendaItem.objects.filter(pk=item.pk).update(
        sitting=None, decision="", chair_confirmed_by=None, secretary_confirmed_by=None
    )
    audit_record(
        actor=actor,
        action=CareAction.AGENDA_CHANGED,
        obj=sitting,
        territory=sitting.commission.region,
        detail={"removed": item.pk},
    )


@transaction.atomic
def decision_record(
    *,
    actor: User,
    item: AgendaItem,
    decision: str,
    reasons: str,
    action: str,
    justified_until: dt.date | None = None,
) -> AgendaItem:
    """The commission's decision on one child; a changed decision needs both confirmations
    again."""
    if item.sitting is None or item.sitting.status != SittingStatus.PLANNED:
        raise ValidationError(_("The review is not on the agenda of a planned sitting."))
    if item.done_on is not None:
        raise ValidationError(_("The decision is already confirmed."))
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons for the decision.")})
    if decision == Decision.JUSTIFIED_UNTIL:
        if justified_until is None or justified_until <= item.sitting.date:
            raise ValidationError(
                {"justified_until": _("Name the date until which the stay is justified.")}
            )
    else:
        justified_until = None
    if decision == Decision.NOT_JUSTIFIED and action == ReturnAction.NONE:
        raise ValidationError({"action": _("A placement found not justified needs an action.")})
    item.decision, item.reasons, item.action = decision, reasons.strip(), action
    item.justified_until, item.decided_by = justified_until, actor
    item.chair_confirmed_by = item.secretary_confirmed_by = None
    item.save(
        update_fields=[
            "decision",
            "reasons",
            "action",
            "justified_until",
            "decided_by",
            "chair_confirmed_by",
            "secretary_confirmed_by",
        ]
    )
    audit_record(
        actor=actor,
        action=CareAction.DECIDED,
        obj=item.placement,
        territory=item.placement.institution.territory,
        detail={"item": item.pk, "decision": decision, "action": action},
    )
    return item


@transaction.atomic
def decision_confirm(*, actor: User, item: AgendaItem) -> AgendaItem:
    # Lock the review row only (the sitting is a nullable join PostgreSQL cannot lock).
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("placement__institution", "sitting")
        .get(pk=item.pk)
    )
    if item.sitting is None or not item.decision:
        raise ValidationError(_("There is no decision to confirm."))
    if item.done_on is not None:
        raise ValidationError(_("The decision is already confirmed."))
    member = open_memberships(actor).filter(commission_id=item.sitting.commission_id).first()
    role = member.role if member else None
    if role not in (MemberRole.CHAIR, MemberRole.SECRETARY):
        raise ValidationError(_("Only the chair and the secretary confirm decisions."))
    institution = item.placement.institution
    if actor.agency_id in (institution.agency_id, institution.operating_agency_id):
        raise ValidationError(
            _("You cannot confirm a decision about an institution of your own agency.")
        )
    field = "chair_confirmed_by" if role == MemberRole.CHAIR else "secretary_confirmed_by"
    if getattr(item, f"{field}_id") is not None:
        raise ValidationError(_("You have already confirmed this decision."))
    setattr(item, field, actor)
    item.save(update_fields=[field])
    audit_record(
        actor=actor,
        action=CareAction.CONFIRMED,
        obj=item.placement,
        territory=institution.territory,
        detail={"item": item.pk, "role": role},
    )
    if item.is_confirmed:
        _conclude(actor, item)
    return item


def _conclude(actor: User, item: AgendaItem) -> None:
    """Both confirmed: the review is done and the decision takes effect."""
    placement = item.placement
    assert item.sitting is not None
    item.done_on = item.sitting.date
    item.save(update_fields=["done_on"])
    term = item.justified_until or (
        placement.term_until if item.decision == Decision.JUSTIFIED else None
    )
    if item.justified_until:
        Placement.objects.filter(pk=placement.pk).update(term_until=item.justified_until)
        placement.term_until = item.justified_until
    if term is not None and term > item.done_on:
        days = settings_for(placement.region).extension_notice_days
        AgendaItem.objects.create(
            placement=placement,
            kind=ReviewKind.EXTENSION,
            due_on=working_days_before(term, days, placement),
        )
    if item.decision == Decision.NOT_JUSTIFIED:
        reintegration_plan_open(
            actor=actor,
            placement=placement,
            goal=f"{item.get_action_display()}: {item.reasons}",
            barriers=placement.barriers,
        )


@transaction.atomic
def sitting_close(*, actor: User, sitting: Sitting) -> Sitting:
    """Closing ends the members' access to the agenda's children; undecided reviews go back
    to wait for the next sitting."""
    if sitting.status == SittingStatus.CLOSED:
        raise ValidationError(_("The sitting is already closed."))
    undecided = sitting.items.filter(done_on__isnull=True)
    returned = list(undecided.values_list("pk", flat=True))
    undecided.update(
        sitting=None, decision="", chair_confirmed_by=None, secretary_confirmed_by=None
    )
    Sitting.objects.filter(pk=sitting.pk).update(
        status=SittingStatus.CLOSED, closed_at=timezone.now()
    )
    sitting.status = SittingStatus.CLOSED
    audit_record(
        actor=actor,
        action=CareAction.SITTING_CLOSED,
        obj=sitting,
        territory=sitting.commission.region,
        detail={"returned": returned},
    )
    return sitting
