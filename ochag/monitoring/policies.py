"""Who sees which dashboards, lists and registers.

* The regional coordinator sees the region and every municipality in it, opens every
  list behind a number, sets targets and keeps the training register and the checklist.
* A municipality's head — in Ochag the supervisor of the municipal КДН (the commission's
  chair is the deputy head of the municipal administration) — sees the municipality's
  dashboard and the lists behind it.
* The federal analyst sees the region's aggregates only, suppressed (``suppression.py``),
  and never a list of records: a drill-down is refused (403).

The lists show record numbers, dates and statuses, never names; each row links to the
record's own page, where that app's policy decides and the read is logged.
"""

from __future__ import annotations

from django.db import models

from ochag.access.models import Role, User
from ochag.access.policies import region_q
from ochag.core.models import Territory
from ochag.core.policies import Action, ActionBase, Policy
from ochag.monitoring.models import TrainingRecord


class MonitoringPolicyAction(ActionBase):
    # Open the records behind a number.
    DRILL_DOWN = "drill_down"
    # Set a target, declare a checklist item, record training.
    MANAGE = "manage"


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.agency_id is not None)


def is_coordinator(user: User) -> bool:
    return _active(user) and user.role == Role.REGIONAL_COORDINATOR


def is_analyst(user: User) -> bool:
    return _active(user) and user.role == Role.FEDERAL_ANALYST


def is_municipal_head(user: User) -> bool:
    return _active(user) and user.is_supervisor and user.role == Role.KDN_SECRETARY


def may_see_dashboards(user: User) -> bool:
    """Decided by role alone: the menu asks on every page and must cost no query."""
    return is_coordinator(user) or is_analyst(user) or is_municipal_head(user)


class DashboardPolicy(Policy[Territory]):
    """The territories whose dashboards a user sees."""

    model = Territory

    def scope(self, user: User) -> models.QuerySet[Territory]:
        if not may_see_dashboards(user):
            return Territory.objects.none()
        home = user.scope_territory
        if home is None:
            return Territory.objects.none()
        if is_municipal_head(user):
            if home.level != Territory.Level.MUNICIPALITY:
                return Territory.objects.none()
            return Territory.objects.filter(pk=home.pk)
        region = home.region
        if region is None:
            return Territory.objects.none()
        return Territory.objects.filter(path__startswith=region.path).exclude(
            level=Territory.Level.COUNTRY
        )

    def home(self, user: User) -> Territory | None:
        """The territory a user's dashboard opens on: the region, or the municipality."""
        home = user.scope_territory
        if home is None or not may_see_dashboards(user):
            return None
        return home if is_municipal_head(user) else home.region

    def allows(self, user: User, action: ActionBase, obj: Territory | None = None) -> bool:
        if not may_see_dashboards(user):
            return False
        if action in (Action.VIEW, Action.EXPORT):
            return True
        if action == MonitoringPolicyAction.DRILL_DOWN:
            return user.sees_personal_data
        if action == MonitoringPolicyAction.MANAGE:
            return is_coordinator(user)
        return False

    def aggregate_only(self, user: User) -> bool:
        return not user.sees_personal_data


dashboards = DashboardPolicy()


class TrainingPolicy(Policy[TrainingRecord]):
    """The staff-training register: the coordinator keeps the region's, an agency's
    supervisor their own agency's; the federal analyst sees only the counts."""

    model = TrainingRecord

    def scope(self, user: User) -> models.QuerySet[TrainingRecord]:
        if not _active(user) or not user.sees_personal_data:
            return TrainingRecord.objects.none()
        qs = TrainingRecord.objects.select_related("specialist", "agency")
        if is_coordinator(user):
            return qs.filter(region_q(user, "agency__territory"))
        if user.is_supervisor:
            return qs.filter(agency_id=user.agency_id or 0)
        return TrainingRecord.objects.none()

    def allows(self, user: User, action: ActionBase, obj: TrainingRecord | None = None) -> bool:
        if not _active(user) or not user.sees_personal_data:
            return False
        if action in (Action.VIEW, Action.CREATE, Action.EXPORT):
            return is_coordinator(user) or user.is_supervisor
        return False

    def specialists(self, user: User) -> models.QuerySet[User]:
        """Whose training the user may record."""
        qs = User.objects.filter(is_active=True, agency__isnull=False).select_related("agency")
        if is_coordinator(user):
            return qs.filter(region_q(user, "agency__territory"))
        if user.is_supervisor and self.allows(user, Action.CREATE):
            return qs.filter(agency_id=user.agency_id or 0)
        return qs.none()


training = TrainingPolicy()
