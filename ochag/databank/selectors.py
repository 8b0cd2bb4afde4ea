"""Reads for the data bank's pages, boards and exports; each starts from the policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import models
from django.db.models import Q

from ochag.access.models import User
from ochag.care import selectors as care_selectors
from ochag.databank import policies
from ochag.databank.models import (
    CandidateFamily,
    ChildPhoto,
    ChildProfile,
    ChildStatus,
    Contact,
    HomeInspection,
    LegalStatus,
    SiblingGroup,
)


def federal_due(rows: models.QuerySet[ChildProfile], on: dt.date) -> models.QuerySet[ChildProfile]:
    """A month in the regional bank without a family and not yet sent to the federal one."""
    return rows.filter(status=ChildStatus.SEARCHING, federal__done_on=None, federal__due_on__lte=on)


def federal_queue(user: User, on: dt.date) -> models.QuerySet[ChildProfile]:
    return federal_due(policies.children.visible(user, policies.DatabankPolicyAction.FEDERAL), on)


def inspections_overdue(
    rows: models.QuerySet[CandidateFamily], on: dt.date
) -> models.QuerySet[CandidateFamily]:
    return rows.filter(inspection__in=HomeInspection.objects.overdue(on))


def inspections_due(
    rows: models.QuerySet[CandidateFamily], on: dt.date
) -> models.QuerySet[CandidateFamily]:
    return rows.filter(inspection__done_on=None, inspection__due_on__gte=on)


def profiles_late(rows: models.QuerySet[ChildProfile]) -> models.QuerySet[ChildProfile]:
    return rows.filter(created_on__gt=models.F("profile_due_on"))


def contacts_of_child(user: User, child: ChildProfile) -> models.QuerySet[Contact]:
    return child.contacts.select_related("family__agency", "recorded_by")


def contacts_of_family(user: User, family: CandidateFamily) -> models.QuerySet[Contact]:
    """The family's contacts; the child named only where the user sees the full profile."""
    return family.contacts.select_related("child__person", "recorded_by")


def siblings_of(child: ChildProfile) -> models.QuerySet[ChildProfile]:
    if child.siblings_id is None:
        return ChildProfile.objects.none()
    return ChildProfile.objects.filter(
        Q(siblings_id=child.siblings_id) & ~Q(pk=child.pk)
    ).select_related("person")


def group_members(group: SiblingGroup) -> models.QuerySet[ChildProfile]:
    return group.children.select_related("person", "agency").order_by(
        "person__birth_year", "person__birth_month", "person__birth_day", "pk"
    )


def photo_of(child: ChildProfile) -> ChildPhoto | None:
    return ChildPhoto.objects.filter(child=child).first()


def photos_for(children: Sequence[ChildProfile], purpose: str) -> dict[int, str]:
    """The photo tokens of those children whose consent covers ``purpose`` (one query)."""
    rows = ChildPhoto.objects.filter(child__in=children).values_list(
        "child_id", "token", "purposes"
    )
    return {child: token for child, token, purposes in rows if purpose in purposes}


def legal_status(child: ChildProfile) -> tuple[str, bool]:
    """The child's family-legal status now: care's record where the child has one (read
    live, so a later court decision recorded in care shows here), else the profile's own
    field. Returns the code and whether it came from care."""
    code = care_selectors.legal_status_of(child.person_id)
    if code in LegalStatus.values:
        return str(code), True
    return child.legal_status, False
