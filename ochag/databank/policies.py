"""Who sees the data bank (issue 16 «Access and safety»).

* A full child profile: the guardianship body that keeps it and the regional coordinator
  (the bank's regional operator). Nobody else: an outsider gets 404.
* The anonymised child (first name, age, sex, municipality, health in general terms,
  sibling group size): any guardianship body of the region, so a family's specialist can
  show the family the children that suit it. Candidates never sign in; they see what
  their specialist shows them.
* A candidate family: its guardianship body and the coordinator; another body ranking
  families for its child sees only a family's number, municipality and body.
* Contacts are recorded by the child's body (the coordinator sees them: read-only, 403);
  the federal queue and its file belong to the coordinator.
* What a profile or a family says (the edit screens, the photo and its consent, the sibling
  group) is written by the guardianship body that keeps it; the coordinator reads it (403).
* A child's photo: in the full profile for those who see the profile; in the anonymised
  card only when the consent covers showing it to candidate families.
* A sibling group: seen by the coordinator and the bodies that keep one of its children,
  changed by those bodies.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ochag.access.models import AgencyType, User
from ochag.access.policies import is_personal_staff as _personal_staff
from ochag.access.policies import is_region_coordinator as is_coordinator
from ochag.access.policies import region_q
from ochag.core.policies import Action, ActionBase, Policy
from ochag.databank.models import (
    CandidateFamily,
    ChildPhoto,
    ChildProfile,
    ChildStatus,
    Conclusion,
    PhotoPurpose,
    SiblingGroup,
)


class DatabankPolicyAction(ActionBase):
    CONTACT = "contact"  # record a contact between a family and a child, and its outcome
    MATCH = "match"  # see the ranked candidates
    FEDERAL = "federal"  # pass profiles to the federal bank (the file and its sending)
    EDIT = "edit"  # what the profile or the family says, the photo, the siblings: the keeper


def is_guardianship(user: User) -> bool:
    return (
        _personal_staff(user)
        and user.agency is not None
        and user.agency.type == AgencyType.GUARDIANSHIP
    )


def _keeps(user: User, obj: ChildProfile | CandidateFamily) -> bool:
    return is_guardianship(user) and obj.agency_id == user.agency_id


class ChildPolicy(Policy[ChildProfile]):
    model = ChildProfile

    def scope(self, user: User) -> models.QuerySet[ChildProfile]:
        rows = ChildProfile.objects.select_related("person", "agency", "siblings", "federal")
        if is_coordinator(user):
            return rows.filter(region_q(user, "region"))
        if is_guardianship(user):
            return rows.filter(region_q(user, "region"), agency=user.agency)
        return rows.none()

    def allows(self, user: User, action: ActionBase, obj: ChildProfile | None = None) -> bool:
        if obj is None:
            match action:
                case Action.VIEW | Action.CREATE:
                    return is_coordinator(user) or is_guardianship(user)
                case Action.EXPORT | DatabankPolicyAction.FEDERAL:
                    return is_coordinator(user)
            return False
        searching = obj.status == ChildStatus.SEARCHING
        match action:
            case Action.VIEW | DatabankPolicyAction.MATCH:
                return is_coordinator(user) or _keeps(user, obj)
            case Action.CHANGE:
                return is_coordinator(user) or _keeps(user, obj)
            case DatabankPolicyAction.EDIT:
                return _keeps(user, obj)
            case DatabankPolicyAction.CONTACT:
                return searching and _keeps(user, obj)
            case DatabankPolicyAction.FEDERAL:
                return searching and is_coordinator(user)
        return False


def anonymised_photo(user: User, token: str) -> ChildPhoto | None:
    """The photo of a child the user may show a family anonymised, when its consent covers
    candidate families; None otherwise (the view answers 404)."""
    photo = (
        ChildPhoto.objects.filter(token=token, child__in=anonymised_children(user))
        .select_related("child")
        .first()
    )
    return photo if photo is not None and photo.allows(PhotoPurpose.CANDIDATES) else None


def anonymised_children(user: User) -> models.QuerySet[ChildProfile]:
    """Children any guardianship body of the region may show a family, anonymised."""
    if not (is_coordinator(user) or is_guardianship(user)):
        return ChildProfile.objects.none()
    return ChildProfile.objects.filter(region_q(user, "region"), status=ChildStatus.SEARCHING)


class FamilyPolicy(Policy[CandidateFamily]):
    model = CandidateFamily

    def scope(self, user: User) -> models.QuerySet[CandidateFamily]:
        rows = CandidateFamily.objects.select_related("applicant", "agency", "inspection")
        if is_coordinator(user):
            return rows.filter(region_q(user, "region"))
        if is_guardianship(user):
            return rows.filter(region_q(user, "region"), agency=user.agency)
        return rows.none()

    def allows(self, user: User, action: ActionBase, obj: CandidateFamily | None = None) -> bool:
        if obj is None:
            return action in (Action.VIEW, Action.CREATE) and (
                is_coordinator(user) or is_guardianship(user)
            )
        match action:
            case Action.VIEW | DatabankPolicyAction.MATCH:
                return is_coordinator(user) or _keeps(user, obj)
            case Action.CHANGE:
                return _keeps(user, obj) or is_coordinator(user)
            case DatabankPolicyAction.EDIT:
                return _keeps(user, obj)
        return False


def matchable_families(user: User) -> models.QuerySet[CandidateFamily]:
    """Families a child's body may rank (shown by number, municipality and body only)."""
    if not (is_coordinator(user) or is_guardianship(user)):
        return CandidateFamily.objects.none()
    return CandidateFamily.objects.filter(Q(conclusion=Conclusion.MAY), region_q(user, "region"))


class SiblingGroupPolicy(Policy[SiblingGroup]):
    model = SiblingGroup

    def scope(self, user: User) -> models.QuerySet[SiblingGroup]:
        rows = SiblingGroup.objects.all()
        if is_coordinator(user):
            return rows.filter(region_q(user, "region"))
        if is_guardianship(user):
            kept = ChildProfile.objects.filter(agency=user.agency).values("siblings_id")
            return rows.filter(region_q(user, "region"), pk__in=kept)
        return rows.none()

    def allows(self, user: User, action: ActionBase, obj: SiblingGroup | None = None) -> bool:
        if obj is None:
            return action == Action.VIEW and (is_coordinator(user) or is_guardianship(user))
        match action:
            case Action.VIEW:
                return is_coordinator(user) or (
                    is_guardianship(user) and obj.children.filter(agency=user.agency).exists()
                )
            case Action.CHANGE:
                return is_guardianship(user) and obj.children.filter(agency=user.agency).exists()
        return False


children = ChildPolicy()
families = FamilyPolicy()
sibling_groups = SiblingGroupPolicy()
