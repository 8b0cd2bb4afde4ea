"""Who may see and manage agencies and staff accounts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ochag.access.models import Agency, AgencyToken, BreakGlass, Role, User
from ochag.core.models import AccessLogEntry, AuditEvent, CalendarOverride, Territory
from ochag.core.policies import Action, ActionBase, Policy


def territory_scope_q(user: User, field: str = "territory") -> Q:
    """A filter on ``field`` (a Territory FK) for the user's territorial scope.

    Nothing for a user without an agency: deny by default.
    """
    scope = user.scope_territory
    if scope is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__startswith": scope.path})


def region_q(user: User, field: str = "territory") -> Q:
    """A filter on ``field`` for the whole region of the user's agency."""
    scope = user.scope_territory
    region = scope.region if scope is not None else None
    if region is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__startswith": region.path})


def is_agency_staff(user: User) -> bool:
    """An active account of an agency's staff member."""
    return bool(user.is_authenticated and user.is_active and user.agency_id is not None)


def is_personal_staff(user: User) -> bool:
    """Agency staff who may see personal records (not the federal analyst)."""
    return is_agency_staff(user) and user.sees_personal_data


def is_region_coordinator(user: User) -> bool:
    """The region's coordinator, as the apps above access check it."""
    return is_personal_staff(user) and user.role == Role.REGIONAL_COORDINATOR


def is_admin(user: User) -> bool:
    return user.is_active and (user.role == Role.ADMINISTRATOR or user.is_superuser)


class AgencyPolicy(Policy[Agency]):
    model = Agency

    def scope(self, user: User) -> models.QuerySet[Agency]:
        if not user.is_authenticated or user.agency is None:
            return Agency.objects.none()
        if user.role in (Role.ADMINISTRATOR, Role.REGIONAL_COORDINATOR, Role.FEDERAL_ANALYST):
            return Agency.objects.filter(region_q(user)).select_related("territory")
        # Staff see the agencies of their own municipality and the region-level ones they
        # report to, never another municipality's.
        scope = user.scope_territory
        assert scope is not None
        ancestors = [int(pk) for pk in scope.path.strip("/").split("/")]
        return Agency.objects.filter(
            territory_scope_q(user) | Q(territory_id__in=ancestors)
        ).select_related("territory")

    def allows(self, user: User, action: ActionBase, obj: Agency | None = None) -> bool:
        return action in (Action.CHANGE, Action.CREATE) and is_admin(user)


class UserPolicy(Policy[User]):
    model = User

    def scope(self, user: User) -> models.QuerySet[User]:
        if not user.is_authenticated or user.agency is None:
            return User.objects.none()
        qs = User.objects.select_related("agency", "agency__territory")
        if is_admin(user):
            return qs.filter(region_q(user, "agency__territory"))
        if user.is_supervisor:
            return qs.filter(agency=user.agency)
        return qs.filter(pk=user.pk)

    def allows(self, user: User, action: ActionBase, obj: User | None = None) -> bool:
        return action in (Action.CHANGE, Action.CREATE) and is_admin(user)


class TerritoryPolicy(Policy[Territory]):
    model = Territory

    def scope(self, user: User) -> models.QuerySet[Territory]:
        if not user.is_authenticated or user.agency is None:
            return Territory.objects.none()
        scope = user.scope_territory
        assert scope is not None
        region = scope.region or scope
        return Territory.objects.filter(path__startswith=region.path)

    def allows(self, user: User, action: ActionBase, obj: Territory | None = None) -> bool:
        return action == Action.CHANGE and is_admin(user)


agencies = AgencyPolicy()
users = UserPolicy()
territories = TerritoryPolicy()


class AgencyTokenPolicy(Policy[AgencyToken]):
    """API tokens of the region's agencies: the administrator manages them, the coordinator
    sees them; nobody else learns that they exist."""

    model = AgencyToken

    def scope(self, user: User) -> models.QuerySet[AgencyToken]:
        if not user.is_authenticated or user.role not in (
            Role.ADMINISTRATOR,
            Role.REGIONAL_COORDINATOR,
        ):
            return AgencyToken.objects.none()
        return AgencyToken.objects.filter(region_q(user, "agency__territory")).select_related(
            "agency__territory", "created_by", "revoked_by"
        )

    def allows(self, user: User, action: ActionBase, obj: AgencyToken | None = None) -> bool:
        if action == Action.VIEW:
            return user.role in (Role.ADMINISTRATOR, Role.REGIONAL_COORDINATOR)
        return action in (Action.CHANGE, Action.CREATE) and is_admin(user)


agency_tokens = AgencyTokenPolicy()


def may_read_audit(user: User) -> bool:
    """The audit log and the record-views log are for the coordinator and the administrator."""
    return user.is_authenticated and user.role in (Role.REGIONAL_COORDINATOR, Role.ADMINISTRATOR)


class AuditEventPolicy(Policy[AuditEvent]):
    """The coordinator and the administrator search the audit log of their region."""

    model = AuditEvent

    def scope(self, user: User) -> models.QuerySet[AuditEvent]:
        if not may_read_audit(user):
            return AuditEvent.objects.none()
        return AuditEvent.objects.filter(
            region_q(user) | Q(territory__isnull=True, agency__in=agencies.visible(user))
        ).select_related("agency", "territory")

    def allows(self, user: User, action: ActionBase, obj: AuditEvent | None = None) -> bool:
        return action == Action.VIEW and may_read_audit(user)


audit_events = AuditEventPolicy()


class CalendarOverridePolicy(Policy[CalendarOverride]):
    """Everyone sees the region's calendar; the coordinator and the administrator change it."""

    model = CalendarOverride

    def scope(self, user: User) -> models.QuerySet[CalendarOverride]:
        if not user.is_authenticated or user.agency is None:
            return CalendarOverride.objects.none()
        return CalendarOverride.objects.filter(region_q(user, "region")).select_related("region")

    def allows(self, user: User, action: ActionBase, obj: CalendarOverride | None = None) -> bool:
        return action in (Action.CHANGE, Action.CREATE) and user.role in (
            Role.REGIONAL_COORDINATOR,
            Role.ADMINISTRATOR,
        )


calendar_overrides = CalendarOverridePolicy()


class AccessLogPolicy(Policy[AccessLogEntry]):
    """Who viewed which personal record: for the coordinator and the administrator."""

    model = AccessLogEntry

    def scope(self, user: User) -> models.QuerySet[AccessLogEntry]:
        if not may_read_audit(user):
            return AccessLogEntry.objects.none()
        return AccessLogEntry.objects.filter(agency__in=agencies.visible(user)).select_related(
            "agency"
        )

    def allows(self, user: User, action: ActionBase, obj: AccessLogEntry | None = None) -> bool:
        return action == Action.VIEW and may_read_audit(user)


access_log = AccessLogPolicy()


class BreakGlassPolicy(Policy[BreakGlass]):
    """Every emergency access of the region, for the coordinator's and the administrator's
    review; a user never lists even their own (the notice and the audit log are theirs)."""

    model = BreakGlass

    def scope(self, user: User) -> models.QuerySet[BreakGlass]:
        if not may_read_audit(user):
            return BreakGlass.objects.none()
        return BreakGlass.objects.filter(region_q(user)).select_related(
            "user", "agency", "territory"
        )

    def allows(self, user: User, action: ActionBase, obj: BreakGlass | None = None) -> bool:
        return action in (Action.VIEW, Action.EXPORT) and may_read_audit(user)


break_glass = BreakGlassPolicy()
