"""Who may see and act on signals.

Visible to: the agency the signal is routed to; the reporting agency (its own submissions,
shown in a limited view); staff the signal was shared with as the family's earlier
assignees; region-wide coordinators and administrators. Never to the federal analyst.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ochag.access.models import Role, User
from ochag.access.policies import is_admin, region_q
from ochag.core.policies import Action, ActionBase, Policy
from ochag.signals.models import ImportJob, RoutingRule, Signal, Status

REGION_ROLES = (Role.REGIONAL_COORDINATOR, Role.ADMINISTRATOR)


class SignalPolicyAction(ActionBase):
    """What a signal knows beyond the shared verbs."""

    # See the whole signal (the linking, the history), not only what the reporter sent.
    VIEW_FULL = "view_full"
    ASSIGN = "assign"


# What a signal's policy decides per signal.
SIGNAL_ACTIONS = frozenset(
    {Action.VIEW, Action.CHANGE, SignalPolicyAction.VIEW_FULL, SignalPolicyAction.ASSIGN}
)


def is_coordinator(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in REGION_ROLES


class SignalPolicy(Policy[Signal]):
    model = Signal

    def scope(self, user: User) -> models.QuerySet[Signal]:
        if not user.is_authenticated or not user.is_active or user.agency_id is None:
            return Signal.objects.none()
        if not user.sees_personal_data:
            return Signal.objects.none()
        qs = Signal.objects.select_related("territory", "routed_to", "reporting_agency", "assignee")
        if is_coordinator(user):
            return qs.filter(region_q(user))
        shared = Signal.shared_with.through.objects.filter(user_id=user.pk).values("signal_id")
        return qs.filter(
            Q(routed_to_id=user.agency_id)
            | Q(reporting_agency_id=user.agency_id)
            | Q(assignee_id=user.pk)
            | Q(pk__in=shared)
        )

    def is_handler(self, user: User, obj: Signal) -> bool:
        """Staff of the body the signal is routed to work on it; a coordinator works on any
        signal of the region, including one no routing rule matched (it sits in the
        coordinator's queue until routed by hand)."""
        if is_coordinator(user):
            return True
        return obj.routed_to_id is not None and obj.routed_to_id == user.agency_id

    def visible(self, user: User, action: ActionBase = Action.VIEW) -> models.QuerySet[Signal]:
        """For VIEW_FULL, the signals seen whole (as ``allows`` decides one by one): those the
        user handles, is assigned or was shared; not a reporting agency's own submissions."""
        rows = super().visible(user, action)
        if action != SignalPolicyAction.VIEW_FULL or is_coordinator(user):
            return rows
        shared = Signal.shared_with.through.objects.filter(user_id=user.pk).values("signal_id")
        return rows.filter(
            Q(routed_to_id=user.agency_id) | Q(assignee_id=user.pk) | Q(pk__in=shared)
        )

    def allows(self, user: User, action: ActionBase, obj: Signal | None = None) -> bool:
        may_report = bool(
            user.is_authenticated and user.agency_id is not None and user.sees_personal_data
        )
        if action == Action.CREATE:
            return may_report
        if obj is None:
            # The gate of the actions decided per signal; an action this policy does not
            # know is denied, with or without a signal.
            return may_report and action in SIGNAL_ACTIONS
        match action:
            case SignalPolicyAction.VIEW_FULL:
                # The reporting agency sees only what it sent and the status, not the linking.
                return (
                    self.is_handler(user, obj)
                    or obj.assignee_id == user.pk
                    or obj.shared_with.filter(pk=user.pk).exists()
                )
            case Action.CHANGE:
                return self.is_handler(user, obj) and obj.status not in (
                    Status.RETURNED,
                    Status.CLOSED,
                )
            case SignalPolicyAction.ASSIGN:
                return self.allows(user, Action.CHANGE, obj) and (
                    user.is_supervisor or is_coordinator(user)
                )
        return False


class RoutingRulePolicy(Policy[RoutingRule]):
    model = RoutingRule

    def scope(self, user: User) -> models.QuerySet[RoutingRule]:
        if not is_coordinator(user):
            return RoutingRule.objects.none()
        return RoutingRule.objects.filter(region_q(user, "region")).select_related(
            "territory", "agency"
        )

    def allows(self, user: User, action: ActionBase, obj: RoutingRule | None = None) -> bool:
        match action:
            case Action.CHANGE:
                return user.role == Role.REGIONAL_COORDINATOR or is_admin(user)
            case Action.VIEW | Action.CREATE:
                return is_coordinator(user)
        return False


class ImportJobPolicy(Policy[ImportJob]):
    model = ImportJob

    def scope(self, user: User) -> models.QuerySet[ImportJob]:
        if not user.is_authenticated or user.agency_id is None or not user.sees_personal_data:
            return ImportJob.objects.none()
        if is_admin(user) and user.scope_territory is not None:
            # The administrator resumes or cancels the stalled imports of the whole region.
            return ImportJob.objects.filter(
                agency__territory__path__startswith=user.scope_territory.path
            )
        return ImportJob.objects.filter(agency_id=user.agency_id)

    def allows(self, user: User, action: ActionBase, obj: ImportJob | None = None) -> bool:
        if not (user.is_authenticated and user.agency_id is not None and user.sees_personal_data):
            return False
        if action == Action.CHANGE:  # resume or cancel a stalled import
            return is_admin(user)
        return action in (Action.VIEW, Action.CREATE)


signals = SignalPolicy()
rules = RoutingRulePolicy()
imports = ImportJobPolicy()
