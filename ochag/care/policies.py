"""Who sees and changes the care register, the children in care and the commission's work.

* The register of institutions (no personal data) is seen by the region's staff; the
  coordinator keeps it; any agency's staff record their visits; the institution's own staff
  and the coordinator record incidents.
* A child in care (need-to-know, issue 15 «Access»): the coordinator sees the region's; the
  institution's staff only their institution's children; the placing guardianship body its
  placements; the overseer their children (with the family's case summary); a member of the
  placement commission the children on the agenda of a sitting that is not closed yet —
  for the sitting's duration only.
* The commission: its members and the region's coordinator see its sittings and its
  membership; the secretary (or the coordinator) keeps the membership and assembles the
  agenda; members record decisions; the chair and the secretary confirm them (the agency
  rule is checked by the service). The family's case and the support it was offered show on
  the agenda to members only, while the sitting is open.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ochag.access.models import AgencyType, User
from ochag.access.policies import is_agency_staff as _staff
from ochag.access.policies import is_personal_staff as _personal_staff
from ochag.access.policies import is_region_coordinator as is_coordinator
from ochag.access.policies import region_q
from ochag.care.models import (
    AgendaItem,
    Commission,
    CommissionMember,
    Incident,
    Institution,
    MemberRole,
    Milestone,
    Placement,
    Sitting,
    SittingStatus,
)
from ochag.core.policies import Action, ActionBase, Policy


class CarePolicyAction(ActionBase):
    """Verbs of the care records beyond the shared ones."""

    VISIT = "visit"  # record a visit to an institution
    INCIDENT = "incident"  # record an incident or its follow-up
    CONTACT = "contact"  # record a parents' visit or contact
    SEE_FAMILY = "see_family"  # the family's case summary and services
    DECIDE = "decide"  # record the commission's decision on a child
    PROTOCOL = "protocol"  # print a sitting's protocol


def is_placing_body(user: User) -> bool:
    """Guardianship staff admit children and keep their placements."""
    return (
        _personal_staff(user)
        and user.agency is not None
        and (user.agency.type == AgencyType.GUARDIANSHIP)
    )


def is_institution_staff(user: User) -> bool:
    return (
        _personal_staff(user)
        and user.agency is not None
        and user.agency.type == AgencyType.INSTITUTION
    )


def open_memberships(user: User) -> models.QuerySet[CommissionMember]:
    return CommissionMember.objects.filter(user_id=user.pk, is_active=True)


class InstitutionPolicy(Policy[Institution]):
    model = Institution

    def scope(self, user: User) -> models.QuerySet[Institution]:
        if not _staff(user):
            return Institution.objects.none()
        return Institution.objects.filter(region_q(user, "region")).select_related(
            "territory", "operating_agency"
        )

    def allows(self, user: User, action: ActionBase, obj: Institution | None = None) -> bool:
        match action:
            case Action.CREATE | Action.CHANGE | Action.EXPORT:
                return is_coordinator(user)
            case CarePolicyAction.VISIT:
                return _personal_staff(user)
            case CarePolicyAction.INCIDENT:
                if is_coordinator(user):
                    return True
                own = obj is not None and obj.agency_id is not None
                return _personal_staff(user) and own and obj.agency_id == user.agency_id  # type: ignore[union-attr]
        return False

    def follow_ups(self, user: User) -> models.QuerySet[Incident]:
        """Incident follow-up tasks (deadline tasks): the coordinator sees the region's; the
        staff of the institution's own agency and of the responsible agency see theirs."""
        if not _personal_staff(user):
            return Incident.objects.none()
        rows = Incident.objects.filter(institution__in=self.visible(user).values("pk"))
        if not is_coordinator(user):
            rows = rows.filter(
                Q(institution__agency_id=user.agency_id) | Q(follow_up_agency_id=user.agency_id)
            )
        return rows.select_related("institution", "follow_up_agency")

    def milestones(self, user: User) -> models.QuerySet[Milestone]:
        """Transformation milestones (deadline tasks) of the institutions the user sees: the
        register carries no personal data, so the region's staff see them."""
        return Milestone.objects.filter(
            institution__in=self.visible(user).values("pk")
        ).select_related("institution", "owner_agency")


def _agenda_placements(user: User) -> models.QuerySet[AgendaItem]:
    """Placements on the agenda of a not-yet-closed sitting of a commission the user sits on."""
    return AgendaItem.objects.filter(
        sitting__status=SittingStatus.PLANNED,
        sitting__commission__in=open_memberships(user).values("commission"),
    )


class PlacementPolicy(Policy[Placement]):
    model = Placement

    def scope(self, user: User) -> models.QuerySet[Placement]:
        if not _personal_staff(user):
            return Placement.objects.none()
        rows = Placement.objects.select_related("child", "institution")
        if is_coordinator(user):
            return rows.filter(region_q(user, "region"))
        return rows.filter(
            Q(institution__agency_id=user.agency_id)
            | Q(placing_agency_id=user.agency_id)
            | Q(overseer_id=user.pk)
            | Q(pk__in=_agenda_placements(user).values("placement"))
        )

    def allows(self, user: User, action: ActionBase, obj: Placement | None = None) -> bool:
        if not _personal_staff(user):
            return False
        if obj is None:
            if action == Action.CREATE:
                return is_coordinator(user) or is_placing_body(user)
            if action == Action.EXPORT:
                # Those who keep placements: the coordinator, the placing bodies and the
                # institutions' own staff; a commission member or an overseer reads only.
                return is_coordinator(user) or is_placing_body(user) or is_institution_staff(user)
            return action == Action.VIEW
        keeper = is_coordinator(user) or obj.placing_agency_id == user.agency_id
        match action:
            case Action.VIEW:
                return True
            case Action.CHANGE:
                return keeper and obj.is_open
            case CarePolicyAction.CONTACT:
                staff = obj.institution.agency_id == user.agency_id
                return obj.is_open and (keeper or staff or obj.overseer_id == user.pk)
            case CarePolicyAction.SEE_FAMILY:
                on_agenda = _agenda_placements(user).filter(placement=obj).exists()
                return keeper or obj.overseer_id == user.pk or on_agenda
        return False


class SittingPolicy(Policy[Sitting]):
    model = Sitting

    def scope(self, user: User) -> models.QuerySet[Sitting]:
        if not _personal_staff(user):
            return Sitting.objects.none()
        rows = Sitting.objects.select_related("commission")
        if is_coordinator(user):
            return rows.filter(region_q(user, "commission__region"))
        return rows.filter(commission__in=open_memberships(user).values("commission"))

    def role(self, user: User, sitting: Sitting) -> str | None:
        """The user's role on the sitting's commission, looked up once per request: kept on
        the user object of the request (as Django keeps its permission cache there)."""
        roles: dict[int, str | None] = user.__dict__.setdefault("_care_commission_roles", {})
        if sitting.commission_id not in roles:
            member = open_memberships(user).filter(commission_id=sitting.commission_id).first()
            roles[sitting.commission_id] = member.role if member else None
        return roles[sitting.commission_id]

    def allows(self, user: User, action: ActionBase, obj: Sitting | None = None) -> bool:
        if not _personal_staff(user):
            return False
        if obj is None:
            secretary = open_memberships(user).filter(role=MemberRole.SECRETARY)
            return action == Action.CREATE and (is_coordinator(user) or secretary.exists())
        planned = obj.status == SittingStatus.PLANNED
        match action:
            case Action.VIEW:
                return True
            case Action.CHANGE:
                own = self.role(user, obj) == MemberRole.SECRETARY
                return planned and (own or is_coordinator(user))
            case CarePolicyAction.DECIDE | Action.CONFIRM:
                return planned and self.role(user, obj) is not None
            case CarePolicyAction.PROTOCOL:
                return True
            case Action.EXPORT:
                # The agenda and decisions as a spreadsheet: for those who keep the
                # commission's papers (the coordinator, the chair, the secretary).
                role = self.role(user, obj)
                return is_coordinator(user) or role in (MemberRole.CHAIR, MemberRole.SECRETARY)
        return False


class CommissionPolicy(Policy[Commission]):
    """The commission's membership: seen by the region's coordinator and its own members;
    kept by the coordinator and the commission's secretary."""

    model = Commission

    def scope(self, user: User) -> models.QuerySet[Commission]:
        if not _personal_staff(user):
            return Commission.objects.none()
        if is_coordinator(user):
            return Commission.objects.filter(region_q(user, "region"))
        return Commission.objects.filter(pk__in=open_memberships(user).values("commission"))

    def allows(self, user: User, action: ActionBase, obj: Commission | None = None) -> bool:
        if not _personal_staff(user):
            return False
        if obj is None:
            return action == Action.CREATE and is_coordinator(user)
        match action:
            case Action.VIEW:
                return True
            case Action.CHANGE:
                secretary = open_memberships(user).filter(
                    commission_id=obj.pk, role=MemberRole.SECRETARY
                )
                return is_coordinator(user) or secretary.exists()
        return False


institutions = InstitutionPolicy()
commissions = CommissionPolicy()
placements = PlacementPolicy()
sittings = SittingPolicy()
