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
from ochag.core.policies import Action, ActionBase, Policy
from ochag.registry.models import DuplicateCandidate, Household, MergeRecord, Person


class RegistryPolicyAction(ActionBase):
    """What the registry knows beyond the shared verbs."""

    MERGE = "merge"


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

    def scope(self, user: User) -> models.QuerySet[Person]:
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

    def allows(self, user: User, action: ActionBase, obj: Person | None = None) -> bool:
        match action:
            case Action.CREATE:
                return can_edit_registry(user)
            case Action.CHANGE:
                return can_edit_registry(user) and (obj is None or obj.merged_into_id is None)
            case RegistryPolicyAction.MERGE:
                return can_merge(user)
        return False


class HouseholdPolicy(Policy[Household]):
    model = Household

    def scope(self, user: User) -> models.QuerySet[Household]:
        if not _reads_registry(user):
            return Household.objects.none()
        return Household.objects.filter(territory_scope_q(user)).select_related("territory")

    def allows(self, user: User, action: ActionBase, obj: Household | None = None) -> bool:
        return action in (Action.CHANGE, Action.CREATE) and can_edit_registry(user)


class DuplicatePolicy(Policy[DuplicateCandidate]):
    """A pair is visible when the user may see both persons; deciding needs merge rights."""

    model = DuplicateCandidate

    def scope(self, user: User) -> models.QuerySet[DuplicateCandidate]:
        if not _reads_registry(user):
            return DuplicateCandidate.objects.none()
        return DuplicateCandidate.objects.filter(
            territory_scope_q(user, "person_a__territory"),
            territory_scope_q(user, "person_b__territory"),
        ).select_related("person_a", "person_b", "person_a__territory", "person_b__territory")

    def allows(self, user: User, action: ActionBase, obj: DuplicateCandidate | None = None) -> bool:
        return action in (Action.CHANGE, RegistryPolicyAction.MERGE) and can_merge(user)


class MergePolicy(Policy[MergeRecord]):
    model = MergeRecord

    def scope(self, user: User) -> models.QuerySet[MergeRecord]:
        if not _reads_registry(user):
            return MergeRecord.objects.none()
        return MergeRecord.objects.filter(
            territory_scope_q(user, "kept__territory"),
            territory_scope_q(user, "merged__territory"),
        ).select_related("kept", "merged", "actor", "undone_by")

    def allows(self, user: User, action: ActionBase, obj: MergeRecord | None = None) -> bool:
        # Changing a merge is undoing it.
        return (
            action == Action.CHANGE and can_merge(user) and (obj is None or obj.undone_at is None)
        )


persons = PersonPolicy()
households = HouseholdPolicy()
duplicates = DuplicatePolicy()
merges = MergePolicy()
