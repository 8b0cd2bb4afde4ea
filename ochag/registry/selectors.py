"""Every read of the registry, starting from the policy querysets. Finding a person (the
staff search, the intake's look-ups) lives in :mod:`ochag.registry.search`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from ochag.access.models import Agency, AgencyType
from ochag.access.policies import agencies
from ochag.registry.disability import PersonDisability
from ochag.registry.models import (
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    MemberRole,
    Membership,
    Person,
    PersonFormerName,
    Relationship,
)
from ochag.registry.policies import RegistryPolicyAction, duplicates, households, persons
from ochag.registry.schooling import Schooling
from ochag.registry.search import (
    CANDIDATE_LIMIT,
    SearchHit,
    SearchOutcome,
    name_candidates,
    person_search,
    resolve_candidates,
    search_ids,
)

if TYPE_CHECKING:
    from ochag.access.models import User

__all__ = [
    "CANDIDATE_LIMIT",
    "SearchHit",
    "SearchOutcome",
    "duplicate_queue",
    "duplicates_waiting",
    "household_children",
    "household_members",
    "household_relationships",
    "name_candidates",
    "person_disabilities",
    "person_former_names",
    "person_households",
    "person_relationships",
    "person_schooling",
    "person_search",
    "resolve_candidates",
    "schools_for",
    "search_ids",
]


def person_households(user: User, person: Person) -> list[Membership]:
    """The person's households the user may see (a family may live across a boundary)."""
    return list(
        Membership.objects.filter(person=person, household__in=households.visible(user))
        .select_related("household", "household__territory")
        .order_by("household__name")
    )


def person_relationships(user: User, person: Person
                         ) -> tuple[list[Relationship], list[Relationship]]:  # fmt: skip
    """(relations where the person is the relative, relations of others to the person), only
    with relatives the user may see."""
    seen = persons.visible(user)
    out = list(
        Relationship.objects.filter(person=person, relative_of__in=seen)
        .select_related("relative_of")
    )  # fmt: skip
    inc = list(
        Relationship.objects.filter(relative_of=person, person__in=seen).select_related("person")
    )
    return out, inc


def household_members(user: User, household: Household) -> list[Membership]:
    """Members of a household the user may see."""
    return list(
        Membership.objects.filter(household=household, person__in=persons.visible(user))
        .select_related("person", "person__territory")
        .order_by("role", "person__birth_year", "person__last_name")
    )


def household_children(user: User, household: Household) -> models.QuerySet[Person]:
    """Persons in a child's role in the household (past or present) whom the user may see:
    what a form offers to pick among a family's children."""
    return persons.visible(user).filter(
        memberships__household=household, memberships__role=MemberRole.CHILD
    )


def household_relationships(user: User, household: Household) -> list[Relationship]:
    """Relationships between members of a household, both of whom the user may see."""
    ids = Membership.objects.filter(household=household, person__in=persons.visible(user)).values(
        "person_id"
    )
    return list(
        Relationship.objects.filter(person_id__in=ids, relative_of_id__in=ids)
        .select_related("person", "relative_of")
        .order_by("relative_of__birth_year", "kind")
    )


def duplicate_queue(user: User) -> models.QuerySet[DuplicateCandidate]:
    return duplicates.visible(user).filter(
        person_a__merged_into__isnull=True, person_b__merged_into__isnull=True
    )


def duplicates_waiting(
    pairs: models.QuerySet[DuplicateCandidate],
) -> models.QuerySet[DuplicateCandidate]:
    """Pairs nobody has decided on: what the queue shows unless a status is chosen, and what
    the home page counts."""
    return pairs.filter(status=DuplicateStatus.OPEN)


def person_former_names(person: Person) -> list[PersonFormerName]:
    """The surnames the person bore before, oldest first (the card shows them to whoever
    may see the person)."""
    return list(PersonFormerName.objects.filter(person=person).order_by("changed_on", "pk"))


def person_disabilities(user: User, person: Person) -> list[PersonDisability]:
    """The person's disability statuses, the current one first — for roles with need-to-know
    only (health data); an empty list for everyone else."""
    if not persons.allows(user, RegistryPolicyAction.SEE_HEALTH, person):
        return []
    rows = PersonDisability.objects.filter(person=person).select_related(
        "recorded_by", "recorded_by__agency"
    )
    return list(rows.order_by("-recorded_at", "-pk"))


def person_schooling(person: Person) -> list[Schooling]:
    """The person's schools and kindergartens, current ones first (the card shows them to
    whoever may see the person)."""
    rows = Schooling.objects.filter(person=person).select_related("agency")
    return list(rows.order_by(models.F("until").desc(nulls_first=True), "-since", "-pk"))


def schools_for(user: User) -> models.QuerySet[Agency]:
    """Education agencies the user may see: the schools a form offers."""
    return agencies.visible(user).filter(type=AgencyType.EDUCATION, is_active=True).order_by("name")
