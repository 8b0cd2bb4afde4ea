"""The КДН sitting: the commission, the sitting with its quorum, the agenda of cases with
the parents invited, and the decision on each case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ochag.access.models import Agency, AgencyType, User
from ochag.cases.models import (
    Case,
    CaseAction,
    Commission,
    CommissionMember,
    KdnSession,
    KdnSitting,
    SittingCase,
    SittingInvitee,
)
from ochag.cases.services.kdn import PointData, kdn_session_record
from ochag.core.services import audit_record
from ochag.registry.models import Person


@dataclass(frozen=True)
class MemberData:
    full_name: str
    position: str
    role: str


@transaction.atomic
def commission_set_up(
    *,
    actor: User,
    agency: Agency,
    full_name: str,
    municipality_name: str,
    regional_law: str,
    members: Sequence[MemberData],
    address: str = "",
) -> Commission:
    """The commission of a КДН agency with its members, as its resolutions name them."""
    if agency.type != AgencyType.KDN:
        raise ValidationError(_("Only a KDN agency is a commission."))
    commission = Commission.objects.create(
        agency=agency,
        full_name=full_name.strip(),
        municipality_name=municipality_name.strip(),
        regional_law=regional_law.strip(),
        address=address.strip(),
    )
    CommissionMember.objects.bulk_create(
        CommissionMember(
            commission=commission, full_name=m.full_name, position=m.position, role=m.role
        )
        for m in members
    )
    audit_record(
        actor=actor,
        action=CaseAction.COMMISSION_SET_UP,
        obj=commission,
        territory=agency.territory,
        detail={"agency": agency.pk, "members": len(members)},
    )
    return commission


@transaction.atomic
def sitting_schedule(
    *,
    actor: User,
    commission: Commission,
    number: str,
    date: dt.date,
    place: str,
    time: dt.time | None = None,
    other_matters: str = "",
) -> KdnSitting:
    if KdnSitting.objects.filter(commission=commission, number=number.strip()).exists():
        raise ValidationError(
            {"number": _("The commission already has a sitting with this number.")}
        )
    sitting = KdnSitting.objects.create(
        commission=commission,
        number=number.strip(),
        date=date,
        time=time,
        place=place.strip(),
        other_matters=other_matters.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=CaseAction.SITTING_SCHEDULED,
        obj=sitting,
        territory=commission.agency.territory,
        detail={"number": sitting.number, "date": date.isoformat()},
    )
    return sitting


@transaction.atomic
def sitting_attendance_record(
    *,
    actor: User,
    sitting: KdnSitting,
    present: Sequence[CommissionMember],
    chair: CommissionMember,
    secretary: CommissionMember,
    other_matters: str | None = None,
) -> KdnSitting:
    """Who was present, who presided and who kept the minutes (both among those present)."""
    members = {m.pk for m in sitting.commission.members.all()}
    if any(m.pk not in members for m in (*present, chair, secretary)):
        raise ValidationError(_("Only members of this commission take part in its sitting."))
    if chair not in present or secretary not in present:
        raise ValidationError(_("The presiding member and the secretary must be present."))
    sitting.present.set(present)
    sitting.chair, sitting.secretary = chair, secretary
    if other_matters is not None:
        sitting.other_matters = other_matters.strip()
    sitting.save(update_fields=["chair", "secretary", "other_matters"])
    present_count, member_count, quorate = sitting.quorum()
    audit_record(
        actor=actor,
        action=CaseAction.SITTING_ATTENDANCE,
        obj=sitting,
        territory=sitting.commission.agency.territory,
        detail={"present": present_count, "members": member_count, "quorum": quorate},
    )
    return sitting


@transaction.atomic
def sitting_case_add(
    *, actor: User, sitting: KdnSitting, case: Case, invite: Sequence[Person] = ()
) -> SittingCase:
    """Put an open case on the agenda (next item number) and invite the parents."""
    if not case.is_open:
        raise ValidationError(_("Only an open case is put on the agenda."))
    if SittingCase.objects.filter(sitting=sitting, case=case).exists():
        raise ValidationError(_("The case is already on this sitting's agenda."))
    last = SittingCase.objects.filter(sitting=sitting).aggregate(n=Max("order"))["n"] or 0
    item = SittingCase.objects.create(sitting=sitting, case=case, order=last + 1)
    SittingInvitee.objects.bulk_create(
        SittingInvitee(item=item, person=p, full_name=p.full_name) for p in invite
    )
    audit_record(
        actor=actor,
        action=CaseAction.SITTING_CASE_ADDED,
        obj=case,
        detail={"sitting": sitting.pk, "item": item.order, "invited": [p.pk for p in invite]},
    )
    return item


@transaction.atomic
def sitting_decision_record(
    *,
    actor: User,
    item: SittingCase,
    resolution: str,
    established: str,
    points: Sequence[PointData],
    attendance: Mapping[int, bool | None],
    closure_ground: str = "",
) -> KdnSession:
    """The commission's decision on one case of the agenda: only at a quorate sitting with
    a presiding member and a secretary; numbered «<protocol>/<item>»."""
    sitting = item.sitting
    if item.decision_id is not None:
        raise ValidationError(_("The commission has already decided on this case."))
    _present, _members, quorate = sitting.quorum()
    if not quorate or sitting.chair_id is None or sitting.secretary_id is None:
        raise ValidationError(
            _(
                "Record who is present, who presides and who is the secretary first: the "
                "commission decides only with at least half of its members present."
            )
        )
    if not established.strip():
        raise ValidationError({"established": _("State what the commission established.")})
    if not points:
        raise ValidationError(_("Write at least one point of the resolution."))
    for invitee in item.invitees.all():
        if invitee.pk in attendance:
            invitee.attended = attendance[invitee.pk]
            invitee.save(update_fields=["attended"])
    number = f"{sitting.number}/{item.order}"
    session = kdn_session_record(
        actor=actor,
        case=item.case,
        date=sitting.date,
        resolution_number=number,
        agenda=_("Sitting No. %(number)s, item %(item)s")
        % {
            "number": sitting.number,
            "item": item.order,
        },
        resolution=resolution,
        resolution_text="\n".join(f"{n}. {p.text.strip()}" for n, p in enumerate(points, 1)),
        closure_ground=closure_ground,
        sitting=sitting,
        established=established,
        points=points,
    )
    item.decision = session
    item.save(update_fields=["decision"])
    return session
