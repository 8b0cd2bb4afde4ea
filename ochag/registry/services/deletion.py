"""Marking a person's record for deletion: the coordinator, a reason, and nothing that still
needs the person. The record itself goes with the retention job (ochag.registry.retention)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ochag.access.models import TrustAction, User
from ochag.core.services import audit_record
from ochag.registry import involvement
from ochag.registry.models import MergeRecord, Person, PersonDeletionMark
from ochag.registry.policies import RegistryPolicyAction, persons

MIN_REASON = 10


def registry_needs(person_id: int) -> list[str]:
    """What in the registry itself still needs the person: merge history that may be undone,
    records merged into this one."""
    reasons = []
    merges = (
        MergeRecord.objects.filter(kept_id=person_id).count()
        + MergeRecord.objects.filter(merged_id=person_id).count()
    )
    if merges:
        reasons.append(
            ngettext(
                "%(n)s merge that may still be undone",
                "%(n)s merges that may still be undone",
                merges,
            )
            % {"n": merges}
        )
    absorbed = Person.objects.filter(merged_into_id=person_id).count()
    if absorbed:
        reasons.append(
            ngettext("%(n)s record merged into this one", "%(n)s records merged into this one",
                     absorbed) % {"n": absorbed}
        )  # fmt: skip
    return reasons


@transaction.atomic
def person_mark_for_deletion(*, actor: User, person: Person, reason: str) -> PersonDeletionMark:
    if not persons.allows(actor, RegistryPolicyAction.MARK_FOR_DELETION, person):
        raise PermissionDenied
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise ValidationError(
            _("Give the reason for deleting, in at least %(n)s characters.") % {"n": MIN_REASON}
        )
    needs = involvement.person_needs(person.pk)
    if needs:
        raise ValidationError(
            _("The record cannot be marked for deletion: it is still needed by %(what)s.")
            % {"what": "; ".join(needs)}
        )
    mark, _created = PersonDeletionMark.objects.update_or_create(
        person=person, defaults={"reason": reason, "marked_by": actor}
    )
    audit_record(actor=actor, action=TrustAction.PERSON_MARKED, obj=person,
                 detail={"reason": reason})  # fmt: skip
    return mark


@transaction.atomic
def person_unmark(*, actor: User, person: Person) -> None:
    if not persons.allows(actor, RegistryPolicyAction.MARK_FOR_DELETION, person):
        raise PermissionDenied
    if PersonDeletionMark.objects.filter(person=person).delete()[0]:
        audit_record(actor=actor, action=TrustAction.PERSON_UNMARKED, obj=person)
