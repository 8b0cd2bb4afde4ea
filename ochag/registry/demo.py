"""The demo region's schools and kindergartens: every child of school age attends the
municipality's school (a class by age), younger children from three a kindergarten, so the
person card of a demo child shows where the child learns. Some children have a disability
status: about 2.5 % the category «ребёнок-инвалид» (Russia's share of disabled children is
about 2 %), about 1 % examined without one, so the risk audit has all three groups.

It is also the registry's public face for demo data (no user: synthetic data only): the
generator writes its families through :func:`families_bulk_create`, and other apps' demo
content picks the families and children it is written about here."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ochag.access.models import Agency, AgencyType
from ochag.registry.disability import DisabilityStatus, PersonDisability
from ochag.registry.models import Household, MemberRole, Membership, Person, Relationship
from ochag.registry.schooling import Schooling, SchoolKind

LETTERS = "АБВ"


def schooling(*, rng: random.Random, people: QuerySet[Person]) -> int:
    today = timezone.localdate()
    term = today.year if today.month >= 9 else today.year - 1  # the school year's first year
    schools = {
        a.territory_id: a for a in Agency.objects.filter(type=AgencyType.EDUCATION).order_by("pk")
    }
    children = people.filter(
        pk__in=Membership.objects.filter(role=MemberRole.CHILD).values("person_id")
    ).only("pk", "territory_id", "birth_year", "birth_month", "birth_day")
    rows = []
    for child in children:
        age = child.age_on(today)
        if age is None or age < 3:
            continue
        school: Agency | None = schools.get(child.territory_id)
        if 7 <= age <= 17 and school is not None:
            grade = min(age - 6, 11)
            rows.append(Schooling(person=child, kind=SchoolKind.SCHOOL, agency=school,
                                  group=f"{grade} «{rng.choice(LETTERS)}»",
                                  since=dt.date(term - grade + 1, 9, 1)))  # fmt: skip
        elif age <= 6:
            rows.append(Schooling(person=child, kind=SchoolKind.KINDERGARTEN,
                                  name=f"Детский сад № {rng.randint(1, 12)}",
                                  since=dt.date(term - max(age - 3, 0), 9, 1)))  # fmt: skip
    Schooling.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


DISABLED_SHARE = 0.025
EXAMINED_SHARE = 0.01
# Terms the МСЭ sets a child's category for, in years (None: until 18, no review).
TERMS = (1, 1, 2, 2, 5, None)


def disabilities(*, rng: random.Random, people: QuerySet[Person]) -> int:
    today = timezone.localdate()
    children = (
        people.filter(pk__in=Membership.objects.filter(role=MemberRole.CHILD).values("person_id"))
        .order_by("pk")
        .only("pk", "birth_year", "birth_month", "birth_day")
    )
    rows = []
    for child in children:
        draw = rng.random()
        if draw >= DISABLED_SHARE + EXAMINED_SHARE or child.birth_year is None:
            continue
        if draw >= DISABLED_SHARE:
            rows.append(PersonDisability(person=child, status=DisabilityStatus.NONE))
            continue
        born = dt.date(child.birth_year, child.birth_month or 1, child.birth_day or 1)
        established = born + dt.timedelta(days=rng.randint(90, max(90, (today - born).days)))
        established = min(established, today)
        term = rng.choice(TERMS)
        review = None if term is None else established.replace(day=1, year=established.year + term)
        rows.append(PersonDisability(person=child, status=DisabilityStatus.CHILD,
                                     established_on=established, review_on=review))  # fmt: skip
    PersonDisability.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def children_living_in(territory_id: int, *, limit: int) -> list[Membership]:
    """Children's current memberships in a municipality's households, persons and households
    loaded: what other apps' demo data is written about (no user: synthetic data only)."""
    return list(
        Membership.objects.filter(
            role=MemberRole.CHILD, household__territory_id=territory_id, until__isnull=True
        )
        .select_related("person", "household")
        .order_by("pk")[:limit]
    )


def children_of_region(region_path: str, *, born_since: int) -> list[Membership]:
    """Child-role memberships (past and present) of the region's households whose child was
    born in ``born_since`` or later, persons and households loaded, in a stable order."""
    return list(
        Membership.objects.filter(
            role=MemberRole.CHILD,
            person__birth_year__gte=born_since,
            household__territory__path__startswith=region_path,
        )
        .select_related("person", "household")
        .order_by("pk")
    )


def families_with_children(territory_id: int, *, limit: int) -> list[Household]:
    """The municipality's first ``limit`` households with at least one child."""
    return list(
        Household.objects.filter(territory_id=territory_id)
        .annotate(kids=Count("memberships", filter=Q(memberships__role=MemberRole.CHILD)))
        .filter(kids__gte=1)
        .order_by("pk")[:limit]
    )


def households_in(region_path: str) -> QuerySet[Household]:
    """Every household of the region (a queryset: the caller narrows and slices it)."""
    return Household.objects.filter(territory__path__startswith=region_path)


def families_bulk_create(
    *,
    households: list[Household],
    persons: list[Person],
    memberships: list[Membership],
    relationships: list[Relationship],
) -> None:
    """Write a generated population in a few large INSERTs (the demo's 50 000 persons). The
    memberships and relationships name unsaved households and persons of the first two
    lists; those are written first, and ``bulk_create`` takes the keys they got from the
    objects (Django fills a foreign key from its saved related object)."""
    Household.objects.bulk_create(households, batch_size=2000)
    Person.objects.bulk_create(persons, batch_size=2000)
    Membership.objects.bulk_create(memberships, batch_size=5000)
    Relationship.objects.bulk_create(relationships, batch_size=5000)
