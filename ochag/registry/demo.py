"""The demo region's schools and kindergartens: every child of school age attends the
municipality's school (a class by age), younger children from three a kindergarten, so the
person card of a demo child shows where the child learns."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import QuerySet
from django.utils import timezone

from ochag.access.models import Agency, AgencyType
from ochag.registry.models import MemberRole, Membership, Person
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
