"""Who may see and change persons, households and the duplicate queue.

Staff see the registry of their territorial scope (their municipality, or the whole region
for region-wide roles); the federal analyst sees no personal record at all. Only roles that
manage registry data may write; merging and unmerging is for supervisors of those roles, the
regional coordinator and the administrator.
"""

from __future__ import annotations

from django.db import models

from ochag.access.models import Role, User
from ochag.access.policies import is_admin, territory_scope_q
from ochag.core.models import Territory
from ochag.core.policies import Policy
from ochag.registry.models import DuplicateCandidate, Household, MergeRecord, Person

REGISTRY_EDITOR_ROLES = frozenset({
    Role.GUARDIANSHIP_SPECIALIST,
    Role.CASE_CURATOR,
    Role.KDN_SECRETARY,
    Role.REGIONAL_COORDINATOR,
    Role.ADMINISTRATOR,
})  # fmt: skip


def _reads_registry(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.sees_personal_data
                and user.agency_id is not None)  # fmt: skip


def can_edit_registry(user: User) -> bool:
    return _reads_registry(user) and (user.role in REGISTRY_EDITOR_ROLES or is_admin(user))


def can_merge(user: User) -> bool:
    if not _reads_registry(user):
        return False
    if user.role in (Role.REGIONAL_COORDINATOR, Role.ADMINISTRATOR) or is_admin(user):
        return True
    return user.is_supervisor and user.role in REGISTRY_EDITOR_ROLES


class PersonPolicy(Policy[Person]):
    model = Person

    def visible(self, user: User) -> models.QuerySet[Person]:
        """Persons in scope, merged-away records included (their page points to the survivor)."""
        if not _reads_registry(user):
            return Person.objects.none()
        return Person.objects.filter(territory_scope_q(user)).select_related("territory")

    def searchable(self, user: User) -> models.QuerySet[Person]:
        """Current (not merged-away) persons in scope, filtered on a materialised list of
        territory ids: the same rows as visible(), but PostgreSQL no longer joins the
        territory tree into a search plan it then misestimates."""
        scope = user.scope_territory if _reads_registry(user) else None
        if scope is None:
            return Person.objects.none()
        subtree = Territory.objects.filter(path__startswith=scope.path)
        ids = list(subtree.values_list("pk", flat=True))
        return Person.objects.filter(territory_id__in=ids, merged_into__isnull=True).select_related(
            "territory"
        )

    def can_change(self, user: User, obj: Person) -> bool:
        return can_edit_registry(user) and obj.merged_into_id is None

    def can_create(self, user: User) -> bool:
        return can_edit_registry(user)


class HouseholdPolicy(Policy[Household]):
    model = Household

    def visible(self, user: User) -> models.QuerySet[Household]:
        if not _reads_registry(user):
            return Household.objects.none()
        return Household.objects.filter(territory_scope_q(user)).select_related("territory")

    def can_change(self, user: User, obj: Household) -> bool:
        return can_edit_registry(user)

    def can_create(self, user: User) -> bool:
        return can_edit_registry(user)


class DuplicatePolicy(Policy[DuplicateCandidate]):
    """A pair is visible when the user may see both persons; deciding needs merge rights."""

    model = DuplicateCandidate

    def visible(self, user: User) -> models.QuerySet[DuplicateCandidate]:
        if not _reads_registry(user):
            return DuplicateCandidate.objects.none()
        return DuplicateCandidate.objects.filter(
            territory_scope_q(user, "person_a__territory"),
            territory_scope_q(user, "person_b__territory"),
        ).select_related("person_a", "person_b", "person_a__territory", "person_b__territory")

    def can_change(self, user: User, obj: DuplicateCandidate) -> bool:
        return can_merge(user)


class MergePolicy(Policy[MergeRecord]):
    model = MergeRecord

    def visible(self, user: User) -> models.QuerySet[MergeRecord]:
        if not _reads_registry(user):
            return MergeRecord.objects.none()
        return MergeRecord.objects.filter(
            territory_scope_q(user, "kept__territory"),
            territory_scope_q(user, "merged__territory"),
        ).select_related("kept", "merged", "actor", "undone_by")

    def can_change(self, user: User, obj: MergeRecord) -> bool:
        return can_merge(user) and obj.undone_at is None


persons = PersonPolicy()
households = HouseholdPolicy()
duplicates = DuplicatePolicy()
merges = MergePolicy()
