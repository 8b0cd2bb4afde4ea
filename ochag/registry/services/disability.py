"""Writes of a person's disability status (registry/disability.py): recorded from the
person's edit form in the same transaction as the identity fields, one audit entry each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from ochag.core.services import ConflictError, audit_record
from ochag.registry.disability import DisabilityStatus, PersonDisability
from ochag.registry.models import Person, RegistryAction
from ochag.registry.services.persons import PersonData, person_update

if TYPE_CHECKING:
    from ochag.access.models import User


@dataclass(frozen=True, kw_only=True)
class DisabilityData:
    """The status as the form states it; ``seen`` is the row the form showed (0: none), so a
    change someone saved meanwhile is not overwritten unseen."""

    status: str
    established_on: dt.date | None = None
    review_on: dt.date | None = None
    seen: int = 0


def _current(person: Person) -> PersonDisability | None:
    return PersonDisability.objects.filter(person=person).order_by("-recorded_at", "-pk").first()


@transaction.atomic
def person_disability_record(
    *, actor: User | None, person: Person, data: DisabilityData
) -> PersonDisability | None:
    """Record the status when it differs from the current one; None when nothing changed.
    Raises ConflictError when another status was recorded since the form was opened (a
    status's freshness is its latest row's pk, which the form holds as ``disability_seen``)."""
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one writer at a time
    current = _current(person)
    if (current.pk if current else 0) != data.seen:
        raise ConflictError(current, fresh={"disability_seen": current.pk if current else 0})
    row = PersonDisability(person=person, status=DisabilityStatus(data.status),
                           established_on=data.established_on, review_on=data.review_on,
                           recorded_by=actor)  # fmt: skip
    row.full_clean(exclude=["person"])
    if current is not None and (current.status, current.established_on, current.review_on) == (
        row.status, row.established_on, row.review_on
    ):  # fmt: skip
        return None
    row.save()
    # Health data: the entry names the status and its dates, read only by the roles that
    # search the audit log (the coordinator and the administrator, who see the status too).
    audit_record(actor=actor, action=RegistryAction.DISABILITY_RECORDED, obj=person, detail={
        "status": row.status,
        "established_on": row.established_on.isoformat() if row.established_on else None,
        "review_on": row.review_on.isoformat() if row.review_on else None,
        "previous": current.status if current else None,
    })  # fmt: skip
    return row


@transaction.atomic
def person_edit(
    *,
    actor: User,
    person: Person,
    version: int,
    data: PersonData,
    disability: DisabilityData | None = None,
) -> Person:
    """The person's edit form: identity fields and, for those who see it, the disability
    status, in one transaction (either both are saved or neither)."""
    updated = person_update(actor=actor, person=person, version=version, data=data)
    if disability is not None:
        person_disability_record(actor=actor, person=updated, data=disability)
    return updated
