"""Worked examples: each hard constraint, each criterion's wording facts, nearest first."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ochag.matching import (
    ChildPool,
    ChildProfile,
    Criterion,
    FamilyPool,
    FamilyProfile,
    Place,
    Violation,
    distance_km,
    fairness_report,
    placement_units,
    violations,
)

from .strategies import ON

HOME = Place(57.0, 61.0)


def child(key: str = "c1", **kw: object) -> ChildProfile:
    base = ChildProfile(
        key=key, age=4, sex="f", forms=frozenset({"guardianship", "adoption"}), home=HOME
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def family(key: str = "f1", **kw: object) -> FamilyProfile:
    base = FamilyProfile(
        key=key,
        conclusion_positive=True,
        conclusion_valid_until=ON + timedelta(days=100),
        forms=frozenset({"guardianship"}),
        capacity=1,
        age_min=2,
        age_max=6,
        home=Place(57.1, 61.0),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def unit_of(*kids: ChildProfile):
    (unit,) = placement_units(kids)
    return unit


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"conclusion_positive": False}, Violation.CONCLUSION),
        ({"conclusion_valid_until": ON - timedelta(days=1)}, Violation.CONCLUSION),
        ({"forms": frozenset({"foster"})}, Violation.FORM),
    ],
)
def test_each_hard_constraint_excludes_the_family(changes, expected):
    bad = family(**changes)
    assert violations(unit_of(child()), bad, ON) == (expected,)
    assert FamilyPool([bad], ON).rank(unit_of(child())) == []
    assert ChildPool(placement_units([child()])).rank(bad, ON) == []


def test_a_conclusion_valid_until_today_still_counts():
    assert violations(unit_of(child()), family(conclusion_valid_until=ON), ON) == ()


def test_health_needs_must_all_be_accepted():
    sick = child(needs=frozenset({"disability", "chronic"}))
    assert violations(unit_of(sick), family(accepted_needs=frozenset({"chronic"})), ON) == (
        Violation.HEALTH,
    )
    assert (
        violations(unit_of(sick), family(accepted_needs=frozenset({"chronic", "disability"})), ON)
        == ()
    )


def test_three_siblings_go_together_or_not_at_all():
    kids = [child(f"c{i}", together_with="g", age=3 + i) for i in range(3)]
    group = unit_of(*kids)
    assert group.size == 3
    assert violations(group, family(capacity=3), ON) == (Violation.SIBLINGS,)
    assert violations(group, family(capacity=2, siblings=True), ON) == (Violation.CAPACITY,)
    (match,) = FamilyPool([family(capacity=3, siblings=True)], ON).rank(group)
    assert [c.key for c in match.unit.children] == ["c0", "c1", "c2"]


def test_the_form_must_be_possible_for_every_sibling():
    kids = [
        child("a", together_with="g"),
        child("b", together_with="g", forms=frozenset({"guardianship"})),
    ]
    adopters = family(forms=frozenset({"adoption"}), capacity=2, siblings=True)
    assert violations(unit_of(*kids), adopters, ON) == (Violation.FORM,)


def test_nearest_to_home_first_when_all_else_is_equal():
    near, far = family("far", home=Place(57.5, 61.0)), family("near", home=Place(57.05, 61.0))
    ranked = FamilyPool([near, far], ON).rank(unit_of(child()))
    assert [m.family.key for m in ranked] == ["near", "far"]
    assert ranked[0].km == pytest.approx(distance_km(HOME, Place(57.05, 61.0)))
    assert distance_km(HOME, Place(57.05, 61.0)) == pytest.approx(5.56, abs=0.01)


def test_reasons_carry_the_facts_a_specialist_reads_aloud():
    teen = child(age=12, sex="m", health_group=4, language="tt", ethnicity="tatar")
    fam = family(
        sex="f", capacity=2, health_group_max=2, languages=frozenset({"ru"}), max_distance_km=5.0
    )
    (match,) = FamilyPool([fam], ON).rank(unit_of(teen))
    reasons = {r.criterion: r for r in match.reasons}
    assert reasons[Criterion.AGE].verdict == "outside"
    assert reasons[Criterion.AGE].fact("years_outside") == 6
    assert reasons[Criterion.AGE].points == 0.0
    assert reasons[Criterion.SEX].verdict == "differs"
    assert reasons[Criterion.SIBLINGS].verdict == "room_left"
    assert reasons[Criterion.SIBLINGS].points == 7.5
    assert reasons[Criterion.HEALTH].verdict == "beyond"
    assert reasons[Criterion.CULTURE].fact("differ") == ("language", "ethnicity")
    assert reasons[Criterion.DISTANCE].verdict == "beyond_limit"
    assert reasons[Criterion.DISTANCE].fact("km") == 11.1


def test_a_family_ranks_children_best_first_and_a_perfect_pair_scores_near_100():
    kids = [child("young", age=4), child("older", age=9)]
    fam = family(home=HOME)
    ranked = ChildPool(placement_units(kids)).rank(fam, ON)
    assert [m.unit.key for m in ranked] == ["young", "older"]
    assert ranked[0].score == pytest.approx(100.0)


def test_fairness_report_by_group():
    kids = [
        child("old", age=14),
        child("dis", needs=frozenset({"disability"})),
        *(child(f"s{i}", together_with="g") for i in range(3)),
        child("easy"),
    ]
    pool = FamilyPool([family(capacity=1)], ON)
    rows = {
        r.group.value: (r.children, r.covered)
        for r in fairness_report(placement_units(kids), pool.has_candidate)
    }
    assert rows == {
        "older_than_10": (1, 1),
        "disability": (1, 0),
        "siblings_3plus": (3, 0),
        "rest": (1, 1),
    }
