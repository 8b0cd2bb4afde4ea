"""Writes of a child's schools and kindergartens (registry/schooling.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ochag.core.services import audit_record
from ochag.registry.models import Person, RegistryAction
from ochag.registry.schooling import Schooling, SchoolKind

if TYPE_CHECKING:
    from ochag.access.models import Agency, User


@transaction.atomic
def schooling_add(
    *,
    actor: User,
    person: Person,
    kind: str,
    agency: Agency | None = None,
    name: str = "",
    group: str = "",
    since: dt.date | None = None,
) -> Schooling:
    """Record where the person learns. A school the person still attends is left on the
    day the new one starts (or today), so the card shows one current place per kind."""
    if person.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another one."))
    row = Schooling(person=person, kind=SchoolKind(kind), agency=agency, name=name.strip(),
                    group=group.strip(), since=since, recorded_by=actor)  # fmt: skip
    row.full_clean()
    start = since or timezone.localdate()
    for old in Schooling.objects.select_for_update().filter(
        person=person, kind=row.kind, until__isnull=True
    ):
        _end(actor=actor, row=old, until=max(start, old.since or start))
    row.save()
    detail = {"schooling": row.pk, "kind": row.kind, "name": row.display_name, "group": row.group,
              "since": since.isoformat() if since else None}  # fmt: skip
    audit_record(actor=actor, action=RegistryAction.SCHOOLING_ADDED, obj=person, detail=detail)
    return row


@transaction.atomic
def schooling_end(*, actor: User, schooling: Schooling, until: dt.date) -> Schooling:
    """The person left this school on ``until``."""
    row = Schooling.objects.select_for_update().get(pk=schooling.pk)
    if row.until is not None:
        raise ValidationError(_("This school is already marked as left."))
    return _end(actor=actor, row=row, until=until)


def _end(*, actor: User, row: Schooling, until: dt.date) -> Schooling:
    row.until = until
    row.full_clean()
    row.save(update_fields=["until"])
    audit_record(actor=actor, action=RegistryAction.SCHOOLING_ENDED, obj=row.person,
                 detail={"schooling": row.pk, "name": row.display_name,
                         "until": until.isoformat()})  # fmt: skip
    return row
