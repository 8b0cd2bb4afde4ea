"""Writes of a КДН's own setup: its details as resolutions print them and its membership
(who chairs, who is the executive secretary, who has left).

A commission has one chair and one executive secretary at a time: naming a new one makes
the previous holder an ordinary member, as a new appointment does, and the audit entry
says so. Members who leave stay on record (``is_active``), since past protocols name them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.cases.kdn_models import Commission, CommissionMember, CommissionRole
from ochag.cases.models import CaseAction
from ochag.core.services import audit_record

# Roles one person holds at a time.
SINGLE_ROLES = (CommissionRole.CHAIR, CommissionRole.SECRETARY)


@transaction.atomic
def commission_update(
    *,
    actor: User,
    commission: Commission,
    full_name: str,
    municipality_name: str,
    regional_law: str,
    address: str = "",
    appeal_text: str = "",
) -> Commission:
    locked = Commission.objects.select_for_update().get(pk=commission.pk)
    fields = {"full_name": full_name, "municipality_name": municipality_name,
              "regional_law": regional_law, "address": address,
              "appeal_text": appeal_text or locked.appeal_text}  # fmt: skip
    changes = {}
    for name, value in fields.items():
        value = value.strip()
        if getattr(locked, name) != value:
            changes[name] = [getattr(locked, name), value]
            setattr(locked, name, value)
    if changes:
        locked.full_clean(exclude=["agency"])
        locked.save()
        audit_record(actor=actor, action=CaseAction.COMMISSION_CHANGED, obj=locked,
                     territory=locked.agency.territory, detail={"changes": changes})  # fmt: skip
    return locked


def _make_room(commission: Commission, role: str, keep: CommissionMember | None) -> list[int]:
    """The current holder of a single role becomes an ordinary member; returns who."""
    if role not in SINGLE_ROLES:
        return []
    holders = CommissionMember.objects.select_for_update().filter(
        commission=commission, role=role, is_active=True
    )
    if keep is not None:
        holders = holders.exclude(pk=keep.pk)
    moved = list(holders.values_list("pk", flat=True))
    holders.update(role=CommissionRole.MEMBER)
    return moved


@transaction.atomic
def commission_member_add(
    *, actor: User, commission: Commission, full_name: str, position: str, role: str
) -> CommissionMember:
    if not full_name.strip():
        raise ValidationError({"full_name": _("Write the member's full name.")})
    member = CommissionMember(commission=commission, full_name=full_name.strip(),
                              position=position.strip(), role=CommissionRole(role))  # fmt: skip
    member.full_clean(exclude=["commission"])
    demoted = _make_room(commission, role, None)
    member.save()
    audit_record(actor=actor, action=CaseAction.COMMISSION_MEMBERSHIP, obj=commission,
                 territory=commission.agency.territory,
                 detail={"added": member.pk, "name": member.full_name, "role": role,
                         "now_members": demoted})  # fmt: skip
    return member


@transaction.atomic
def commission_member_update(
    *, actor: User, member: CommissionMember, role: str | None = None, left: bool = False
) -> CommissionMember:
    """Give a member another role, or record that they have left the commission."""
    locked = CommissionMember.objects.select_for_update().get(pk=member.pk)
    if not locked.is_active:
        raise ValidationError(_("This member has already left the commission."))
    before = locked.role
    demoted: list[int] = []
    if left:
        locked.is_active = False
    elif role is not None and role != locked.role:
        demoted = _make_room(locked.commission, role, locked)
        locked.role = CommissionRole(role)
    else:
        return locked
    locked.save(update_fields=["role", "is_active"])
    audit_record(actor=actor, action=CaseAction.COMMISSION_MEMBERSHIP, obj=locked.commission,
                 territory=locked.commission.agency.territory,
                 detail={"member": locked.pk, "name": locked.full_name, "left": left,
                         "role": [before, locked.role], "now_members": demoted})  # fmt: skip
    return locked
