"""Writes of typed relationships between persons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ochag.core.services import audit_record
from ochag.registry.models import Person, RegistryAction, RelationKind, Relationship

if TYPE_CHECKING:
    from ochag.access.models import User


@transaction.atomic
def relationship_add(*, actor: User, person: Person, kind: str, relative_of: Person
                     ) -> Relationship:  # fmt: skip
    if person.pk == relative_of.pk:
        raise ValidationError(_("A person cannot be their own relative."))
    if Relationship.objects.filter(person=person, kind=kind, relative_of=relative_of).exists():
        raise ValidationError(_("This relationship is already recorded."))
    rel = Relationship.objects.create(
        person=person, kind=RelationKind(kind), relative_of=relative_of
    )
    audit_record(actor=actor, action=RegistryAction.RELATIONSHIP_ADDED, obj=relative_of,
                 detail={"person": person.pk, "kind": kind})  # fmt: skip
    return rel


@transaction.atomic
def relationship_remove(*, actor: User, relationship: Relationship) -> None:
    detail = {"person": relationship.person_id, "kind": relationship.kind}
    target = relationship.relative_of
    relationship.delete()
    audit_record(actor=actor, action=RegistryAction.RELATIONSHIP_REMOVED, obj=target, detail=detail)
