"""Properties of the engine over random small regions (hypothesis, derandomised so a
failure found once is found every run)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from ochag.matching import (
    WEIGHTS,
    ChildPool,
    FamilyPool,
    explain,
    fairness_report,
    placement_units,
    score,
    total,
    violations,
)

from .strategies import ON, children, families

PROPS = settings(max_examples=100, derandomize=True, deadline=None)


@PROPS
@given(children(), families(), st.integers(1, 5))
def test_no_result_breaks_a_hard_constraint_and_no_candidate_is_missed(kids, fams, limit):
    pool = FamilyPool(fams, ON)
    for unit in placement_units(kids):
        ranked = pool.rank(unit, limit=None)
        assert all(violations(unit, m.family, ON) == () for m in ranked)
        eligible = {f.key for f in fams if not violations(unit, f, ON)}
        assert {m.family.key for m in ranked} == eligible
        assert len(pool.rank(unit, limit=limit)) == min(limit, len(eligible))


@PROPS
@given(children(), families())
def test_siblings_who_must_stay_together_are_matched_together_or_not_at_all(kids, fams):
    pool = FamilyPool(fams, ON)
    for unit in placement_units(kids):
        keys = {c.together_with for c in unit.children}
        assert len(keys) == 1
        if unit.size > 1:
            # the whole group is one unit: every family found takes all of them
            assert all(
                m.family.siblings and m.family.capacity >= unit.size for m in pool.rank(unit, None)
            )
    grouped = {c.key for c in kids if c.together_with}
    singles = [u for u in placement_units(kids) if u.size == 1 and u.children[0].key in grouped]
    # a group key shared by one child alone is still that child's unit, never split further
    assert all(u.key == u.children[0].together_with for u in singles)


@PROPS
@given(children(), families())
def test_explanation_sums_to_the_score_exactly(kids, fams):
    pool = FamilyPool(fams, ON)
    for unit in placement_units(kids):
        for match in pool.rank(unit, limit=None):
            assert total(match.reasons) == match.score
            assert math.isclose(sum(r.points for r in match.reasons), match.score, abs_tol=1e-9)
            assert score(unit, match.family, match.km) == match.score
            assert explain(unit, match.family, match.km) == match.reasons
            for reason in match.reasons:
                assert 0.0 <= reason.points <= WEIGHTS[reason.criterion] == reason.weight


@PROPS
@given(children(), families(), st.integers(1, 6), st.randoms(use_true_random=False))
def test_top_results_are_the_head_of_the_full_ranking_whatever_the_input_order(
    kids, fams, limit, rnd
):
    shuffled = list(fams)
    rnd.shuffle(shuffled)
    full_pool, shuffled_pool = FamilyPool(fams, ON), FamilyPool(shuffled, ON)
    for unit in placement_units(kids):
        full = [(m.family.key, m.score) for m in full_pool.rank(unit, limit=None)]
        assert [(m.family.key, m.score) for m in shuffled_pool.rank(unit, limit=limit)] == full[
            :limit
        ]
        scores = [s for _, s in full]
        assert scores == sorted(scores, reverse=True)


@PROPS
@given(children(), families())
def test_both_ways_agree(kids, fams):
    units = placement_units(kids)
    family_pool, child_pool = FamilyPool(fams, ON), ChildPool(units)
    by_child = {
        (u.key, m.family.key): m.score for u in units for m in family_pool.rank(u, limit=None)
    }
    by_family = {
        (m.unit.key, f.key): m.score for f in fams for m in child_pool.rank(f, ON, limit=None)
    }
    assert by_child == by_family
    for family in fams:
        ranked = child_pool.rank(family, ON, limit=None)
        assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)


@PROPS
@given(children(), families())
def test_fairness_counts_every_child_once_per_group_and_covers_those_with_a_candidate(kids, fams):
    units = placement_units(kids)
    pool = FamilyPool(fams, ON)
    report = {row.group: row for row in fairness_report(units, pool.has_candidate)}
    older = [c for c in kids if c.age > 10]
    assert report["older_than_10"].children == len(older)
    assert report["siblings_3plus"].children == sum(u.size for u in units if u.size >= 3)
    rest = [
        (u, c)
        for u in units
        for c in u.children
        if u.size < 3 and c.age <= 10 and "disability" not in c.needs
    ]
    assert report["rest"].children == len(rest)
    assert report["rest"].covered == sum(1 for u, _ in rest if pool.rank(u, limit=1))
    for row in report.values():
        assert 0 <= row.covered <= row.children
