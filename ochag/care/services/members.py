"""The placement commission's membership: members from several agencies, one chair and one
secretary (issue 15, «The commission» item 1).

Members are Ochag users (they open the agenda's children), staff of an agency of the
commission's region who see personal data. A member who leaves stays on record
(``is_active``), since past protocols name them; seated again, the same row comes back.
The rules, each refused with a Russian message: one active chair and one active secretary
(a new one is named after the current holder is made a member or removed); nobody is seated
twice; a removal never leaves a commission that had members of two or more agencies with
members of one. Whether the commission may sit at all (a chair, a secretary,
members of at least two agencies) is :func:`ochag.care.selectors.commission_problems`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.care.models import CareAction, Commission, CommissionMember, MemberRole
from ochag.care.selectors import member_agencies
from ochag.core.models import Territory
from ochag.core.services import audit_record

SINGLE_ROLES = (MemberRole.CHAIR, MemberRole.SECRETARY)


@transaction.atomic
def commission_create(
    *, actor: User | None, region: Territory, name: str, legal_source: str = ""
) -> Commission:
    if not name.strip():
        raise ValidationError({"name": _("Write the commission's name.")})
    board = Commission.objects.create(
        region=region, name=name.strip(), legal_source=legal_source.strip()
    )
    audit_record(
        actor=actor,
        action=CareAction.MEMBER_SAVED,
        obj=board,
        territory=region,
        detail={"created": True, "name": board.name},
    )
    return board


def _holder(
    commission: Commission, role: str, exclude: int | None = None
) -> CommissionMember | None:
    rows = commission.members.filter(role=role, is_active=True).select_related("user")
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.first()


def _check_single_role(commission: Commission, role: str, exclude: int | None = None) -> None:
    if role not in SINGLE_ROLES:
        return
    holder = _holder(commission, role, exclude)
    if holder is None:
        return
    name = holder.user.get_full_name() or holder.user.username
    if role == MemberRole.CHAIR:
        message = _(
            "The commission already has a chair (%(name)s). Make them an ordinary member or "
            "remove them first."
        )
    else:
        message = _(
            "The commission already has a secretary (%(name)s). Make them an ordinary member "
            "or remove them first."
        )
    raise ValidationError({"role": message % {"name": name}})


def _check_agencies_kept(commission: Commission, leaving: CommissionMember) -> None:
    """A commission of several agencies stays one: the last member of the only other agency
    cannot leave."""
    before = member_agencies(commission)
    after = member_agencies(commission, exclude=leaving.pk)
    if len(before) >= 2 and len(after) < 2:
        raise ValidationError(
            _(
                "The commission must keep members of at least two agencies: add a member of "
                "another agency before this one leaves."
            )
        )


@transaction.atomic
def member_add(
    *, actor: User | None, commission: Commission, user: User, role: str
) -> CommissionMember:
    """Seat ``user`` on the commission with ``role``."""
    Commission.objects.select_for_update().filter(pk=commission.pk).first()
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    if user.agency_id is None or not user.is_active:
        raise ValidationError({"user": _("A member must be an active employee of an agency.")})
    if not user.sees_personal_data:
        raise ValidationError(
            {"user": _("A member sees the children on the agenda: choose staff with that access.")}
        )
    region = commission.region
    assert user.agency is not None
    if not user.agency.territory.path.startswith(region.path):
        raise ValidationError({"user": _("A member must work in an agency of the region.")})
    existing = commission.members.filter(user=user).first()
    if existing is not None and existing.is_active:
        raise ValidationError({"user": _("This person already sits on the commission.")})
    _check_single_role(commission, role)
    if existing is not None:
        existing.role, existing.is_active = role, True
        existing.save(update_fields=["role", "is_active"])
        member = existing
    else:
        member = CommissionMember.objects.create(commission=commission, user=user, role=role)
    audit_record(
        actor=actor,
        action=CareAction.MEMBER_SAVED,
        obj=commission,
        territory=region,
        detail={"member": member.pk, "user": user.pk, "role": role, "again": existing is not None},
    )
    return member


@transaction.atomic
def member_role_set(*, actor: User, member: CommissionMember, role: str) -> CommissionMember:
    """Give an active member another role (a chair becomes an ordinary member, …)."""
    locked = CommissionMember.objects.select_for_update().get(pk=member.pk)
    if not locked.is_active:
        raise ValidationError(_("This member has already left the commission."))
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role == locked.role:
        return locked
    _check_single_role(locked.commission, role, exclude=locked.pk)
    before = locked.role
    locked.role = role
    locked.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action=CareAction.MEMBER_SAVED,
        obj=locked.commission,
        territory=locked.commission.region,
        detail={"member": locked.pk, "user": locked.user_id, "role": [before, role]},
    )
    return locked


@transaction.atomic
def member_remove(*, actor: User, member: CommissionMember) -> CommissionMember:
    """The member leaves the commission; they stay on record for past protocols."""
    Commission.objects.select_for_update().filter(pk=member.commission_id).first()
    locked = CommissionMember.objects.select_related("commission").get(pk=member.pk)
    if not locked.is_active:
        raise ValidationError(_("This member has already left the commission."))
    _check_agencies_kept(locked.commission, locked)
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=CareAction.MEMBER_REMOVED,
        obj=locked.commission,
        territory=locked.commission.region,
        detail={"member": locked.pk, "user": locked.user_id, "role": locked.role},
    )
    return locked
