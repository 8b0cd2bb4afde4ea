"""The explained score of a child–family pair that passed the hard constraints.

Six criteria, each worth at most its weight; the score is their sum, so every point
can be read aloud as a reason. Distance weighs most: СК РФ art. 123 and Regulation
481 want a child placed nearest to home. Ethnicity, religion and language are
considered (art. 123) but never exclude a family.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .profiles import FamilyProfile, Unit


class Criterion(StrEnum):
    AGE = "age"
    SEX = "sex"
    SIBLINGS = "siblings"
    HEALTH = "health"
    CULTURE = "culture"
    DISTANCE = "distance"


WEIGHTS: dict[Criterion, float] = {
    Criterion.AGE: 20.0,
    Criterion.SEX: 10.0,
    Criterion.SIBLINGS: 15.0,
    Criterion.HEALTH: 15.0,
    Criterion.CULTURE: 10.0,
    Criterion.DISTANCE: 30.0,
}
CRITERIA: tuple[Criterion, ...] = tuple(WEIGHTS)
_W_AGE, _W_SEX, _W_SIBLINGS, _W_HEALTH, _W_CULTURE, _W_DISTANCE = (WEIGHTS[c] for c in CRITERIA)

# Points fall off with years outside the wished ages (3 years out = nothing), with
# health groups beyond the family's readiness (3 groups = nothing) and with distance
# (half the points at DISTANCE_HALF_KM). Beyond the family's own limit, half again.
AGE_SLACK_YEARS = 3.0
HEALTH_SLACK_GROUPS = 3.0
DISTANCE_HALF_KM = 25.0


@dataclass(frozen=True, slots=True)
class Reason:
    """One criterion's share of the score, with the facts its wording needs."""

    criterion: Criterion
    points: float
    weight: float
    verdict: str
    facts: tuple[tuple[str, object], ...] = ()

    def fact(self, name: str) -> object:
        return dict(self.facts).get(name)


def _age(unit: Unit, family: FamilyProfile) -> tuple[float, str, int]:
    total = 0.0
    worst = 0
    for child in unit.children:
        outside = max(family.age_min - child.age, child.age - family.age_max, 0)
        worst = max(worst, outside)
        total += max(0.0, 1.0 - outside / AGE_SLACK_YEARS)
    points = WEIGHTS[Criterion.AGE] * total / unit.size
    return points, ("within" if worst == 0 else "outside"), worst


def _sex(unit: Unit, family: FamilyProfile) -> tuple[float, str, int]:
    if not family.sex:
        return WEIGHTS[Criterion.SEX], "any", 0
    other = sum(1 for child in unit.children if child.sex != family.sex)
    points = WEIGHTS[Criterion.SEX] * (unit.size - other) / unit.size
    return points, ("matches" if other == 0 else "differs"), other


def _siblings(unit: Unit, family: FamilyProfile) -> tuple[float, str]:
    # A family ready for three is best used for three: the score saves its places
    # for brothers and sisters instead of spending them on one child.
    points = WEIGHTS[Criterion.SIBLINGS] * min(unit.size, family.capacity) / family.capacity
    return points, ("fits" if unit.size >= family.capacity else "room_left")


def _health(unit: Unit, family: FamilyProfile) -> tuple[float, str, int]:
    group = max(child.health_group for child in unit.children)
    beyond = max(0, group - family.health_group_max)
    points = WEIGHTS[Criterion.HEALTH] * max(0.0, 1.0 - beyond / HEALTH_SLACK_GROUPS)
    return points, ("ready" if beyond == 0 else "beyond"), group


def _culture(unit: Unit, family: FamilyProfile) -> tuple[float, str, tuple[str, ...]]:
    # Brothers and sisters share a background; the first child's record speaks for all.
    child = unit.children[0]
    weight = WEIGHTS[Criterion.CULTURE]
    differ: list[str] = []
    points = 0.0
    for name, share, same in (
        ("language", 0.5, not child.language or child.language in family.languages),
        ("ethnicity", 0.25, not child.ethnicity or child.ethnicity == family.ethnicity),
        ("religion", 0.25, not child.religion or child.religion == family.religion),
    ):
        if same:
            points += weight * share
        else:
            differ.append(name)
    recorded = bool(child.language or child.ethnicity or child.religion)
    verdict = "not_recorded" if not recorded else ("shared" if not differ else "differs")
    return points, verdict, tuple(differ)


def _distance(family: FamilyProfile, km: float) -> tuple[float, str]:
    points = _distance_points(km)
    if family.max_distance_km is not None and km > family.max_distance_km:
        return points / 2, "beyond_limit"
    return points, "near" if km <= DISTANCE_HALF_KM else "far"


def upper_bound(km: float) -> float:
    """No pair this far apart can score more: every other criterion at its weight.
    The ranking scores families nearest first and stops once this falls below the
    last place it keeps, so a child is ranked without scoring every family."""
    return sum(w for c, w in WEIGHTS.items() if c is not Criterion.DISTANCE) + _distance_points(km)


def _distance_points(km: float) -> float:
    return WEIGHTS[Criterion.DISTANCE] / (1.0 + km / DISTANCE_HALF_KM)


def score(unit: Unit, family: FamilyProfile, km: float) -> float:
    """The total alone, for the ranking's hot path: the same arithmetic as `explain`,
    inlined (a property test holds them equal to the last bit)."""
    size = unit.size
    children = unit.children
    age_min, age_max, wished = family.age_min, family.age_max, family.sex
    ages = 0.0
    other = 0
    group = 0
    for child in children:
        outside = max(age_min - child.age, child.age - age_max, 0)
        ages += max(0.0, 1.0 - outside / AGE_SLACK_YEARS)
        if child.sex != wished:
            other += 1
        if child.health_group > group:
            group = child.health_group
    total = _W_AGE * ages / size
    total += _W_SEX * (size - other) / size if wished else _W_SEX
    total += _W_SIBLINGS * min(size, family.capacity) / family.capacity
    total += _W_HEALTH * max(
        0.0, 1.0 - max(0, group - family.health_group_max) / HEALTH_SLACK_GROUPS
    )
    first = children[0]
    culture = 0.0
    if not first.language or first.language in family.languages:
        culture += _W_CULTURE * 0.5
    if not first.ethnicity or first.ethnicity == family.ethnicity:
        culture += _W_CULTURE * 0.25
    if not first.religion or first.religion == family.religion:
        culture += _W_CULTURE * 0.25
    total += culture
    distance = _W_DISTANCE / (1.0 + km / DISTANCE_HALF_KM)
    if family.max_distance_km is not None and km > family.max_distance_km:
        distance = distance / 2
    return total + distance


def total(reasons: Iterable[Reason]) -> float:
    """The reasons added up left to right, as `score` adds them (Python 3.12's `sum`
    compensates rounding and may differ in the last bit)."""
    result = 0.0
    for reason in reasons:
        result += reason.points
    return result


def explain(unit: Unit, family: FamilyProfile, km: float) -> tuple[Reason, ...]:
    age, age_verdict, years_out = _age(unit, family)
    sex, sex_verdict, other = _sex(unit, family)
    sib, sib_verdict = _siblings(unit, family)
    health, health_verdict, group = _health(unit, family)
    culture, culture_verdict, differ = _culture(unit, family)
    dist, dist_verdict = _distance(family, km)
    return (
        Reason(
            Criterion.AGE,
            age,
            WEIGHTS[Criterion.AGE],
            age_verdict,
            (
                ("years_outside", years_out),
                ("age_min", family.age_min),
                ("age_max", family.age_max),
            ),
        ),
        Reason(
            Criterion.SEX,
            sex,
            WEIGHTS[Criterion.SEX],
            sex_verdict,
            (("other_sex", other), ("wished", family.sex)),
        ),
        Reason(
            Criterion.SIBLINGS,
            sib,
            WEIGHTS[Criterion.SIBLINGS],
            sib_verdict,
            (("size", unit.size), ("capacity", family.capacity)),
        ),
        Reason(
            Criterion.HEALTH,
            health,
            WEIGHTS[Criterion.HEALTH],
            health_verdict,
            (("group", group), ("ready_for", family.health_group_max)),
        ),
        Reason(
            Criterion.CULTURE,
            culture,
            WEIGHTS[Criterion.CULTURE],
            culture_verdict,
            (("differ", differ),),
        ),
        Reason(
            Criterion.DISTANCE,
            dist,
            WEIGHTS[Criterion.DISTANCE],
            dist_verdict,
            (("km", round(km, 1)), ("limit_km", family.max_distance_km)),
        ),
    )
