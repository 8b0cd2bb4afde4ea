"""The data bank's records as the matching engine's profiles, and the rankings the pages show.

The engine (ochag.matching) is plain Python; this module reads the rows it needs with
`.values()` (no model instances for thousands of families) and hands them over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models

from ochag import matching
from ochag.databank.models import (
    FAMILY_CRITERIA,
    BankGeneration,
    CandidateFamily,
    ChildProfile,
    ChildStatus,
    Conclusion,
)

_CHILD_FIELDS = (
    "pk",
    "person__sex",
    "person__birth_year",
    "person__birth_month",
    "person__birth_day",
    "forms",
    "health_group",
    "needs",
    "language",
    "ethnicity",
    "religion",
    "home_lat",
    "home_lon",
    "siblings_id",
    "siblings__must_be_together",
)
_FAMILY_FIELDS = (
    "pk",
    "conclusion",
    "conclusion_valid_until",
    *FAMILY_CRITERIA,
    "home_lat",
    "home_lon",
)


def age_on(year: int | None, month: int | None, day: int | None, on: dt.date) -> int:
    """Full years; a date known to the month or year counts from its first day."""
    if year is None:
        return 0
    born = dt.date(year, month or 1, day or 1)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _child(row: dict[str, Any], on: dt.date) -> matching.ChildProfile:
    together = row["siblings_id"] is not None and row["siblings__must_be_together"]
    return matching.ChildProfile(
        key=str(row["pk"]),
        age=age_on(
            row["person__birth_year"], row["person__birth_month"], row["person__birth_day"], on
        ),
        sex="f" if row["person__sex"] == "F" else "m",
        forms=frozenset(row["forms"]),
        home=matching.Place(row["home_lat"], row["home_lon"]),
        health_group=row["health_group"],
        needs=frozenset(row["needs"]),
        language=row["language"],
        ethnicity=row["ethnicity"],
        religion=row["religion"],
        together_with=f"g{row['siblings_id']}" if together else "",
    )


def _family(row: dict[str, Any]) -> matching.FamilyProfile:
    return matching.FamilyProfile(
        key=str(row["pk"]),
        conclusion_positive=row["conclusion"] == Conclusion.MAY,
        conclusion_valid_until=row["conclusion_valid_until"],
        forms=frozenset(row["forms"]),
        capacity=max(1, row["capacity"]),
        age_min=row["age_min"],
        age_max=row["age_max"],
        home=matching.Place(row["home_lat"], row["home_lon"]),
        sex=row["sex"],
        siblings=row["siblings"],
        accepted_needs=frozenset(row["accepted_needs"]),
        health_group_max=row["health_group_max"],
        languages=frozenset(x.strip() for x in row["languages"].split(",") if x.strip()),
        ethnicity=row["ethnicity"],
        religion=row["religion"],
        max_distance_km=row["max_distance_km"],
    )


def child_units(rows: models.QuerySet[ChildProfile], on: dt.date) -> list[matching.Unit]:
    return matching.placement_units(_child(r, on) for r in rows.values(*_CHILD_FIELDS))


def family_profiles(rows: models.QuerySet[CandidateFamily]) -> list[matching.FamilyProfile]:
    return [_family(r) for r in rows.values(*_FAMILY_FIELDS)]


def unit_of(child: ChildProfile, on: dt.date) -> matching.Unit:
    """The child, with the brothers and sisters still in the bank who must go with them."""
    rows = ChildProfile.objects.filter(pk=child.pk)
    group = child.siblings
    if group is not None and group.must_be_together:
        rows = ChildProfile.objects.filter(siblings=group, status=ChildStatus.SEARCHING) | rows
    units = child_units(rows.select_related(None), on)
    return next(u for u in units if any(c.key == str(child.pk) for c in u.children))


# The region's family pool per process, kept while the region's ranking generation and the
# day stay the same: a child's page then ranks without loading 20 000 families. Every write
# that can change a family's ranking bumps the generation (services.bank_generation_bump).
_pools: dict[int, tuple[str, dt.date, matching.FamilyPool]] = {}


def family_pool(
    region_id: int, families: models.QuerySet[CandidateFamily], on: dt.date
) -> matching.FamilyPool:
    """The pool of ``families`` in the region (the policy's matchable families: the same
    for every user of the region who may rank), cached per generation and day."""
    generation = (
        BankGeneration.objects.filter(region_id=region_id).values_list("value", flat=True).first()
    )
    cached = _pools.get(region_id)
    if generation and cached is not None and cached[:2] == (generation, on):
        return cached[2]
    pool = matching.FamilyPool(family_profiles(families.filter(region_id=region_id)), on)
    if generation:
        _pools[region_id] = (generation, on, pool)
    return pool


def families_for(
    child: ChildProfile, families: models.QuerySet[CandidateFamily], on: dt.date, limit: int = 10
) -> list[matching.Match]:
    return family_pool(child.region_id, families, on).rank(unit_of(child, on), limit)


def children_for(
    family: CandidateFamily, children: models.QuerySet[ChildProfile], on: dt.date, limit: int = 10
) -> list[matching.Match]:
    (profile,) = family_profiles(CandidateFamily.objects.filter(pk=family.pk))
    return matching.ChildPool(child_units(children, on)).rank(profile, on, limit)


def keys(matches: Iterable[matching.Match]) -> set[int]:
    return {int(c.key) for m in matches for c in m.unit.children}
