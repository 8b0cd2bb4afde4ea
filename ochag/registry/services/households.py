"""Writes of households and their members."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ochag.core.models import Territory
from ochag.core.services import audit_record, locked_at_version
from ochag.registry.models import Household, MemberRole, Membership, Person, RegistryAction

if TYPE_CHECKING:
    from ochag.access.models import User


@transaction.atomic
def household_create(*, actor: User, territory: Territory, name: str, address: str = "",
                     member: Person | None = None, role: str = "") -> Household:  # fmt: skip
    """Create a household, with its first member when the screen was opened from a person:
    both in one transaction, so a refused member leaves no empty household behind."""
    home = Household(territory=territory, name=name.strip(), address=address.strip())
    home.full_clean()
    home.save()
    audit_record(actor=actor, action=RegistryAction.HOUSEHOLD_CREATED, obj=home)
    if member is not None:
        membership_add(actor=actor, household=home, person=member, role=role)
    return home


@transaction.atomic
def household_update(*, actor: User, household: Household, version: int, name: str,
                     address: str, territory: Territory) -> Household:  # fmt: skip
    """Rename, move or re-address a household; ConflictError when someone saved in between.
    The audit entry keeps the values before and after."""
    locked = locked_at_version(Household.objects, household.pk, version)
    before = {"name": locked.name, "address": locked.address, "territory": locked.territory_id}
    locked.name, locked.address, locked.territory = name.strip(), address.strip(), territory
    after = {"name": locked.name, "address": locked.address, "territory": locked.territory_id}
    changed = {k: [before[k], after[k]] for k in after if after[k] != before[k]}
    if not changed:
        return locked
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, action=RegistryAction.HOUSEHOLD_UPDATED, obj=locked,
                 detail={"changes": changed, "version": locked.version})  # fmt: skip
    return locked


@transaction.atomic
def membership_add(*, actor: User, household: Household, person: Person, role: str,
                   since: dt.date | None = None) -> Membership:  # fmt: skip
    if Membership.objects.filter(household=household, person=person).exists():
        raise ValidationError(_("This person is already a member of the household."))
    member = Membership(household=household, person=person, role=MemberRole(role), since=since)
    member.full_clean()
    member.save()
    audit_record(actor=actor, action=RegistryAction.MEMBER_ADDED, obj=household,
                 detail={"person": person.pk, "role": role})  # fmt: skip
    return member


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    household = membership.household
    detail = {"person": membership.person_id, "role": membership.role}
    membership.delete()
    audit_record(actor=actor, action=RegistryAction.MEMBER_REMOVED, obj=household, detail=detail)
