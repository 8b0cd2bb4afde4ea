"""The advisory score: transparent contributions, thresholds, strengths, poverty guardrail."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ochag.cases import scoring


def test_no_answers_scores_zero_and_proposes_nothing() -> None:
    result = scoring.score({})
    assert result.score == 0
    assert result.proposed_level == scoring.LEVEL_NONE
    assert result.contributions == []


def test_contributions_explain_the_score() -> None:
    result = scoring.score({"parent_cruelty": "yes", "child_truancy": "partly", "env_debt": "no"})
    assert result.score == 5 * 2 + 3 * 1
    assert [(c.code, c.points) for c in result.contributions] == [
        ("parent_cruelty", 10),
        ("child_truancy", 3),
    ]
    assert sum(c.points for c in result.contributions) == result.score
    assert result.domain_totals == {"child": 3, "parenting": 10, "environment": 0}
    assert result.proposed_level == scoring.LEVEL_TZHS


def test_levels_follow_thresholds() -> None:
    assert scoring.score({"parent_competence": "partly"}).proposed_level == scoring.LEVEL_EARLY
    high = scoring.score({"parent_cruelty": "yes", "parent_substance": "yes"})
    assert high.score == 18
    assert high.proposed_level == scoring.LEVEL_SOP


def test_strengths_lower_the_score_but_are_capped() -> None:
    answers = {"parent_cruelty": "yes", "parent_substance": "yes"}
    all_strengths = [s.code for s in scoring.STRENGTHS]
    result = scoring.score(answers, all_strengths)
    assert result.strength_credit == scoring.MAX_STRENGTH_CREDIT
    assert result.score == 18 - scoring.MAX_STRENGTH_CREDIT


def test_strengths_alone_do_not_go_negative() -> None:
    assert scoring.score({}, ["attachment"]).score == 0


def test_poverty_indicators_alone_never_propose_sop() -> None:
    answers = {code: "yes" for code, ind in scoring.INDICATOR_BY_CODE.items() if ind.poverty}
    result = scoring.score(answers)
    assert result.score >= 16
    assert result.proposed_level == scoring.LEVEL_TZHS
    assert result.poverty_capped


def test_poverty_plus_real_danger_can_propose_sop() -> None:
    result = scoring.score(
        {"parent_cruelty": "yes", "parent_supervision": "yes", "env_utilities": "yes"}
    )
    assert result.proposed_level == scoring.LEVEL_SOP
    assert not result.poverty_capped


def test_unknown_inputs_are_rejected() -> None:
    with pytest.raises(ValueError):
        scoring.score({"nonsense": "yes"})
    with pytest.raises(ValueError):
        scoring.score({"parent_cruelty": "maybe"})
    with pytest.raises(ValueError):
        scoring.score({}, ["nonsense"])


def test_poverty_only_safety_criteria() -> None:
    assert scoring.poverty_only(["no_food", "no_housing"])
    assert not scoring.poverty_only(["no_food", "violence"])
    assert not scoring.poverty_only([])


def test_every_indicator_belongs_to_a_domain_and_codes_are_unique() -> None:
    assert {i.domain for i in scoring.INDICATORS} == set(scoring.DOMAIN_LABELS)
    assert len(scoring.INDICATOR_BY_CODE) == len(scoring.INDICATORS)


def test_module_does_not_import_django() -> None:
    tree = ast.parse(Path(scoring.__file__).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.startswith("django") or name.startswith("ochag") for name in imported)


def test_not_known_is_counted_apart_from_no_and_shows_what_it_may_hide() -> None:
    answers = {i.code: scoring.ANSWER_NO for i in scoring.INDICATORS}
    answers.update(parent_cruelty="yes", parent_substance="unknown", child_injuries="unknown")
    result = scoring.score(answers)
    assert result.score == 10 and result.proposed_level == scoring.LEVEL_TZHS
    assert result.unknown == ["child_injuries", "parent_substance"]
    assert result.unanswered == [] and result.complete
    # Were both unknowns «yes»: 10 + 8 + 10.
    assert result.ceiling == 28 and result.ceiling_level == scoring.LEVEL_SOP
    no_instead = scoring.score({**answers, "parent_substance": "no", "child_injuries": "no"})
    assert no_instead.score == result.score and no_instead.unknown == []
    assert no_instead.ceiling == no_instead.score


def test_a_missing_answer_is_unanswered_not_no() -> None:
    result = scoring.score({"parent_cruelty": "yes"})
    assert not result.complete
    assert len(result.unanswered) == len(scoring.INDICATORS) - 1
    assert "parent_cruelty" not in result.unanswered
