"""Who sees and changes cases, their tasks and notes.

A case is seen by the agencies taking part in it (CaseParticipant rows) and by the
region's coordinator; nobody else, and never the federal analyst. Among participants, the
case's managers (the curator, supervisors of the curator's agency, the КДН and the
guardianship body taking part, the coordinator) run the case: they change it and see all
it holds (``visible(user, CasePolicyAction.MANAGE)``).

Need-to-know inside a case (issue 12; the matrix is in the README): every participant sees
the plan's goals, its own agency's tasks, the tasks the curator shares and the notes; the
assessments, removals, КДН decisions, monitoring reports and legal tasks (court claims) are
seen by the managers only. Medical-secret notes and tasks are shown only to health staff
and to the curator.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q

from ochag.access.models import AgencyType, Role, User
from ochag.access.policies import region_q
from ochag.cases.models import Case, CaseNote, CaseParticipant, Commission, KdnSitting, Task
from ochag.core.policies import Action, ActionBase, Policy

# Agency types that manage a case they take part in, beyond the curator.
MANAGING_AGENCY_TYPES = frozenset({AgencyType.KDN, AgencyType.GUARDIANSHIP})
# Roles that may open a case.
OPENING_ROLES = frozenset(
    {Role.CASE_CURATOR, Role.KDN_SECRETARY, Role.GUARDIANSHIP_SPECIALIST, Role.REGIONAL_COORDINATOR}
)


class CasePolicyAction(ActionBase):
    """What a case knows beyond the shared verbs."""

    # Manage the case itself, open or closed (CHANGE is managing an open case).
    MANAGE = "manage"
    ADD_NOTE = "add_note"
    REOPEN = "reopen"


def _active_staff(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id is not None
        and user.sees_personal_data
    )


def _health(user: User) -> bool:
    """Health staff, who may read medical secrets of the cases they see."""
    return user.role == Role.CLINIC_STAFF or (
        user.agency is not None and user.agency.type == AgencyType.HEALTH
    )


def is_coordinator(user: User) -> bool:
    return _active_staff(user) and user.role == Role.REGIONAL_COORDINATOR


# What a case's policy decides per case.
CASE_ACTIONS = frozenset(
    {
        Action.VIEW,
        Action.CHANGE,
        CasePolicyAction.MANAGE,
        CasePolicyAction.ADD_NOTE,
        CasePolicyAction.REOPEN,
    }
)


class CasePolicy(Policy[Case]):
    model = Case

    def scope(self, user: User) -> models.QuerySet[Case]:
        if not _active_staff(user):
            return Case.objects.none()
        qs = Case.objects.select_related("household", "curator", "curator__agency", "territory")
        if is_coordinator(user):
            return qs.filter(region_q(user, "territory"))
        assert user.agency is not None
        participating = CaseParticipant.objects.filter(agency_id=user.agency.pk).values("case_id")
        return qs.filter(Q(pk__in=participating) | Q(curator=user))

    def allows(self, user: User, action: ActionBase, obj: Case | None = None) -> bool:
        if action == Action.CREATE:
            return _active_staff(user) and user.role in OPENING_ROLES
        if obj is None:
            # Every other action is decided per case; without one only the gate is known,
            # and an action this policy does not know is denied.
            return _active_staff(user) and action in CASE_ACTIONS
        match action:
            case CasePolicyAction.MANAGE:
                return self._manages(user, obj)
            case Action.CHANGE:
                return obj.is_open and self._manages(user, obj)
            case CasePolicyAction.ADD_NOTE:
                return obj.is_open and self.visible(user).filter(pk=obj.pk).exists()
            case CasePolicyAction.REOPEN:
                return not obj.is_open and self._manages(user, obj)
        return False

    def visible(self, user: User, action: ActionBase = Action.VIEW) -> models.QuerySet[Case]:
        """For MANAGE, the cases the user runs: the curator's, those of the curator's agency
        for its supervisors, those the user's КДН or guardianship body takes part in, and
        every case for the coordinator."""
        rows = super().visible(user, action)
        if action != CasePolicyAction.MANAGE or is_coordinator(user) or not _active_staff(user):
            return rows
        assert user.agency is not None
        runs = Q(curator=user)
        if user.is_supervisor:
            runs |= Q(curator__agency_id=user.agency.pk)
        if user.agency.type in MANAGING_AGENCY_TYPES:
            runs |= Q(participants__agency_id=user.agency.pk)
        return rows.filter(pk__in=Case.objects.filter(runs).values("pk"))

    def _manages(self, user: User, case: Case) -> bool:
        """Change the case itself: assessments, sessions, the plan, monitoring, closure."""
        return self.visible(user, CasePolicyAction.MANAGE).filter(pk=case.pk).exists()


class TaskPolicy(Policy[Task]):
    model = Task

    def scope(self, user: User) -> models.QuerySet[Task]:
        """All tasks of the cases the user runs; in the others, the user's agency's own
        tasks and those the curator shared (never a legal step). Medical tasks only for
        health staff and the curator."""
        if not _active_staff(user):
            return Task.objects.none()
        assert user.agency is not None
        qs = Task.objects.filter(
            Q(case__in=cases.visible(user, CasePolicyAction.MANAGE).values("pk"))
            | Q(case__in=cases.visible(user).values("pk"))
            & (Q(owner_agency_id=user.agency.pk) | Q(shared=True, is_legal=False))
        ).select_related("case", "case__household", "owner_agency", "assignee", "case__curator")
        if _health(user):
            return qs
        return qs.filter(Q(is_medical=False) | Q(case__curator=user))

    def allows(self, user: User, action: ActionBase, obj: Task | None = None) -> bool:
        if action != Action.CHANGE or not _active_staff(user):
            return False
        if obj is None:
            return True
        return obj.pk in self.changeable_in_case(user, obj.case, [obj])

    def changeable_in_case(self, user: User, case: Case, tasks: Iterable[Task]) -> set[int]:
        """Which of one case's tasks the user may change: the owning agency's, or all of them
        for the case's managers (decided once per case, not once per task)."""
        if not case.is_open or not _active_staff(user):
            return set()
        manages = cases.allows(user, CasePolicyAction.MANAGE, case)
        return {t.pk for t in tasks if manages or t.owner_agency_id == user.agency_id}


class NotePolicy(Policy[CaseNote]):
    model = CaseNote

    def scope(self, user: User) -> models.QuerySet[CaseNote]:
        qs = CaseNote.objects.filter(case__in=cases.visible(user)).select_related(
            "author", "author__agency"
        )
        if not _active_staff(user):
            return qs.none()
        if _health(user):
            return qs
        return qs.filter(Q(is_medical=False) | Q(case__curator=user))


class SittingPolicy(Policy[KdnSitting]):
    """A commission's sittings are kept by its own staff; the coordinator reads the
    region's. Other agencies see the decisions on their cases, not the sittings."""

    model = KdnSitting

    def scope(self, user: User) -> models.QuerySet[KdnSitting]:
        if not _active_staff(user):
            return KdnSitting.objects.none()
        qs = KdnSitting.objects.select_related(
            "commission", "commission__agency", "chair", "secretary"
        )
        if is_coordinator(user):
            return qs.filter(region_q(user, "commission__agency__territory"))
        assert user.agency is not None
        return qs.filter(commission__agency_id=user.agency.pk)

    def allows(self, user: User, action: ActionBase, obj: KdnSitting | None = None) -> bool:
        if not _active_staff(user):
            return False
        if action == Action.VIEW:
            return obj is None or self.visible(user).filter(pk=obj.pk).exists()
        if action == Action.CREATE:
            assert user.agency is not None
            return Commission.objects.filter(agency_id=user.agency.pk).exists()
        if action == Action.CHANGE:
            return obj is not None and obj.commission.agency_id == user.agency_id
        return False


class CommissionPolicy(Policy[Commission]):
    """A КДН's own setup: its staff see it, and its executive secretary and supervisors set
    it up and keep its membership; the coordinator reads the region's commissions."""

    model = Commission

    def scope(self, user: User) -> models.QuerySet[Commission]:
        if not _active_staff(user):
            return Commission.objects.none()
        qs = Commission.objects.select_related("agency", "agency__territory")
        if is_coordinator(user):
            return qs.filter(region_q(user, "agency__territory"))
        assert user.agency is not None
        return qs.filter(agency_id=user.agency.pk)

    def _keeps(self, user: User) -> bool:
        return (
            _active_staff(user)
            and user.agency is not None
            and user.agency.type == AgencyType.KDN
            and (user.role == Role.KDN_SECRETARY or user.is_supervisor)
        )

    def allows(self, user: User, action: ActionBase, obj: Commission | None = None) -> bool:
        if not self._keeps(user):
            return False
        assert user.agency is not None
        if action == Action.CREATE:
            return not Commission.objects.filter(agency_id=user.agency.pk).exists()
        if action == Action.CHANGE:
            return obj is None or obj.agency_id == user.agency.pk
        return False


cases = CasePolicy()
tasks = TaskPolicy()
notes = NotePolicy()
sittings = SittingPolicy()
commissions = CommissionPolicy()
