"""Who may see and change persons, households and the duplicate queue (need-to-know).

Bodies that answer for every family of their territory — guardianship, the КДН, case
curators' social protection, the regional coordinator and the administrator — see the
registry of their territorial scope. Every other role (school, clinic, police, institution,
NGO, helpline) sees only the persons and households its agency's work concerns: a signal,
case, task, referral… as the higher apps report through ochag.registry.involvement, or a
live break-glass grant. Some of those roles may ask whether a person is *known to the
system* (:data:`LOOKUP_ROLES`). The federal analyst sees no personal record at all. Only
roles that manage registry data may write; merging and unmerging is for supervisors of those
roles, the regional coordinator and the administrator. The matrix is in the README.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from ochag.access.models import REGION_WIDE_ROLES, Role, User
from ochag.access.policies import is_admin, territory_scope_q
from ochag.core.models import Territory
from ochag.core.policies import Action, ActionBase, Policy
from ochag.registry import involvement
from ochag.registry.models import DuplicateCandidate, Household, MergeRecord, Person


class RegistryPolicyAction(ActionBase):
    """What the registry knows beyond the shared verbs."""

    MERGE = "merge"
    # Mark a person's record for deletion (the coordinator, with a reason).
    MARK_FOR_DELETION = "mark_for_deletion"
    # Read the person's health data (the disability status): need-to-know only.
    SEE_HEALTH = "see_health"


REGISTRY_EDITOR_ROLES = frozenset({
    Role.GUARDIANSHIP_SPECIALIST,
    Role.CASE_CURATOR,
    Role.KDN_SECRETARY,
    Role.REGIONAL_COORDINATOR,
    Role.ADMINISTRATOR,
})  # fmt: skip


# Roles that read a person's disability status: the bodies that decide on the family's
# support, guardianship and benefits (and so also edit it), and the clinic, where the status
# comes from. Schools, police, institutions, NGOs and the helpline do not: health data
# (152-ФЗ Art. 10) is not theirs to know because they reported a family.
HEALTH_ROLES = REGISTRY_EDITOR_ROLES | {Role.CLINIC_STAFF}


# Roles that search the registry of their whole territory.
TERRITORIAL_ROLES = frozenset({
    Role.GUARDIANSHIP_SPECIALIST,
    Role.KDN_SECRETARY,
    Role.CASE_CURATOR,
    Role.REGIONAL_COORDINATOR,
    Role.ADMINISTRATOR,
})  # fmt: skip
# Roles outside those that may learn that a person is known to the system (and whom to
# ask), without any detail: state bodies that report and must not duplicate a family's
# record. NGOs may not: that a family is known to the state is itself sensitive.
LOOKUP_ROLES = frozenset({
    Role.SCHOOL_SOCIAL_PEDAGOGUE,
    Role.CLINIC_STAFF,
    Role.POLICE_INSPECTOR,
    Role.INSTITUTION_STAFF,
    Role.HELPLINE_OPERATOR,
})  # fmt: skip


def is_territorial(user: User) -> bool:
    return user.role in TERRITORIAL_ROLES or is_admin(user)


def _territory_and_involvement(user: User, territory: models.Q, involved: Callable[[], models.Q]
                               ) -> models.Q:  # fmt: skip
    """What a user reaches: the involvement alone, or for a territorial role the territory
    and any involvement beyond it (a family living across a boundary, a break-glass grant).
    A region-wide role's territory holds every record it could be involved with."""
    if not is_territorial(user):
        return involved()
    if user.role in REGION_WIDE_ROLES or is_admin(user):
        return territory
    return territory | involved()


def may_look_up(user: User) -> bool:
    return _reads_registry(user) and not is_territorial(user) and user.role in LOOKUP_ROLES


def _reads_registry(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.sees_personal_data
                and user.agency_id is not None)  # fmt: skip


def can_edit_registry(user: User) -> bool:
    return _reads_registry(user) and (user.role in REGISTRY_EDITOR_ROLES or is_admin(user))


def can_see_health(user: User) -> bool:
    return _reads_registry(user) and (user.role in HEALTH_ROLES or is_admin(user))


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
        return Person.objects.filter(self._reach(user)).select_related("territory")

    def _reach(self, user: User) -> models.Q:
        return _territory_and_involvement(
            user, territory_scope_q(user), lambda: involvement.person_ids_q(user)
        )

    def searchable(self, user: User) -> models.QuerySet[Person]:
        """Current (not merged-away) persons in scope. For territorial roles the filter is
        on a materialised list of territory ids: the same rows as visible(), but PostgreSQL
        no longer joins the territory tree into a search plan it then misestimates."""
        scope = user.scope_territory if _reads_registry(user) else None
        if scope is None:
            return Person.objects.none()
        current = Person.objects.filter(merged_into__isnull=True).select_related("territory")
        territory = (
            models.Q(territory_id__in=self._subtree(scope)) if is_territorial(user) else None
        )
        return current.filter(_territory_and_involvement(
            user, territory or models.Q(), lambda: involvement.person_ids_q(user)
        ))  # fmt: skip

    def lookup_scope(self, user: User) -> models.QuerySet[Person]:
        """Current persons a "known to the system" lookup runs over: the territory the user
        works in, for the roles that may look up; nothing for others."""
        scope = user.scope_territory if may_look_up(user) else None
        if scope is None:
            return Person.objects.none()
        return Person.objects.filter(territory_id__in=self._subtree(scope),
                                     merged_into__isnull=True)  # fmt: skip

    @staticmethod
    def _subtree(scope: Territory) -> list[int]:
        subtree = Territory.objects.filter(path__startswith=scope.path)
        return list(subtree.values_list("pk", flat=True))

    def allows(self, user: User, action: ActionBase, obj: Person | None = None) -> bool:
        match action:
            case Action.CREATE:
                return can_edit_registry(user)
            case Action.CHANGE:
                return can_edit_registry(user) and (obj is None or obj.merged_into_id is None)
            case RegistryPolicyAction.MERGE:
                return can_merge(user)
            case RegistryPolicyAction.SEE_HEALTH:
                return can_see_health(user)
            case RegistryPolicyAction.MARK_FOR_DELETION:
                return _reads_registry(user) and user.role == Role.REGIONAL_COORDINATOR
        return False


class HouseholdPolicy(Policy[Household]):
    model = Household

    def scope(self, user: User) -> models.QuerySet[Household]:
        if not _reads_registry(user):
            return Household.objects.none()
        reach = _territory_and_involvement(
            user, territory_scope_q(user), lambda: involvement.household_ids_q(user)
        )
        return Household.objects.filter(reach).select_related("territory")

    def allows(self, user: User, action: ActionBase, obj: Household | None = None) -> bool:
        return action in (Action.CHANGE, Action.CREATE) and can_edit_registry(user)


class DuplicatePolicy(Policy[DuplicateCandidate]):
    """A pair is visible when the user may see both persons; deciding needs merge rights."""

    model = DuplicateCandidate

    def scope(self, user: User) -> models.QuerySet[DuplicateCandidate]:
        if not _reads_registry(user):
            return DuplicateCandidate.objects.none()
        if not is_territorial(user):
            seen = persons.scope(user).values("pk")
            pairs = DuplicateCandidate.objects.filter(person_a__in=seen, person_b__in=seen)
        else:
            pairs = DuplicateCandidate.objects.filter(
                territory_scope_q(user, "person_a__territory"),
                territory_scope_q(user, "person_b__territory"),
            )
        return pairs.select_related(
            "person_a", "person_b", "person_a__territory", "person_b__territory"
        )

    def allows(self, user: User, action: ActionBase, obj: DuplicateCandidate | None = None) -> bool:
        return action in (Action.CHANGE, RegistryPolicyAction.MERGE) and can_merge(user)


class MergePolicy(Policy[MergeRecord]):
    model = MergeRecord

    def scope(self, user: User) -> models.QuerySet[MergeRecord]:
        if not _reads_registry(user) or not is_territorial(user):
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
