"""Safety criteria and the advisory risk score. Plain Python: no Django import.

The score is advisory (domain reference §10): every input and every contribution is
returned so the page can show which answers moved it; a specialist decides the level and
records a reason when departing from the proposal. Poverty-type (P) indicators alone never
propose СОП (domain §6 guardrail): they cap the proposal at ТЖС, where support is offered.

Labels are English msgids marked with ``_`` so Django's makemessages extracts them; the
Django layer translates them at display time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


def _(text: str) -> str:
    """Mark a label for translation without importing Django."""
    return text


@dataclass(frozen=True)
class SafetyCriterion:
    code: str
    label: str
    poverty: bool = False


# Red indicators of domain §6: any of them present prompts the question of immediate threat.
SAFETY_CRITERIA: tuple[SafetyCriterion, ...] = (
    SafetyCriterion("caregiver_intoxicated", _("Caregivers intoxicated")),
    SafetyCriterion("child_alone", _("Child under 10 at home alone")),
    SafetyCriterion("no_food", _("No food in the home"), poverty=True),
    SafetyCriterion("no_medicine", _("No medicine for a sick child"), poverty=True),
    SafetyCriterion("no_housing", _("No housing"), poverty=True),
    SafetyCriterion(
        "infirm_caregiver",
        _("Infirm or elderly caregiver alone with an infant, a disabled child or a ward"),
    ),
    SafetyCriterion("child_unlawful", _("Child involved in unlawful acts")),
    SafetyCriterion("violence", _("Signs of violence")),
)
SAFETY_BY_CODE = {c.code: c for c in SAFETY_CRITERIA}


def poverty_only(criteria: Sequence[str]) -> bool:
    """True when every criterion met is poverty-type (and at least one is met)."""
    met = [SAFETY_BY_CODE[code] for code in criteria if code in SAFETY_BY_CODE]
    return bool(met) and all(c.poverty for c in met)


class Domain:
    CHILD = "child"
    PARENTING = "parenting"
    ENVIRONMENT = "environment"


DOMAIN_LABELS = {
    Domain.CHILD: _("The child's needs"),
    Domain.PARENTING: _("Parenting capacity"),
    Domain.ENVIRONMENT: _("Family and environment"),
}


@dataclass(frozen=True)
class Indicator:
    code: str
    domain: str
    label: str
    weight: int
    poverty: bool = False


INDICATORS: tuple[Indicator, ...] = (
    Indicator("child_injuries", Domain.CHILD, _("Signs of violence or unexplained injuries"), 5),
    Indicator(
        "child_food", Domain.CHILD, _("Systematic lack of age-appropriate food"), 3, poverty=True
    ),
    Indicator(
        "child_clothing",
        Domain.CHILD,
        _("No seasonal clothing or school supplies"),
        1,
        poverty=True,
    ),
    Indicator("child_health", Domain.CHILD, _("Missed medical checks or refused treatment"), 3),
    Indicator("child_truancy", Domain.CHILD, _("Persistent truancy"), 3),
    Indicator(
        "child_offences", Domain.CHILD, _("Child involved in offences or antisocial acts"), 3
    ),
    Indicator("child_adaptation", Domain.CHILD, _("Adaptation difficulties without support"), 1),
    Indicator("parent_cruelty", Domain.PARENTING, _("Cruelty or degrading treatment"), 5),
    Indicator("parent_substance", Domain.PARENTING, _("Caregiver misuses alcohol or drugs"), 4),
    Indicator(
        "parent_supervision", Domain.PARENTING, _("Young child regularly left unsupervised"), 4
    ),
    Indicator("parent_benefits", Domain.PARENTING, _("Child benefits misused"), 3),
    Indicator("parent_competence", Domain.PARENTING, _("Low parenting competence"), 1),
    Indicator("env_conflict", Domain.ENVIRONMENT, _("Family conflict or domestic violence"), 3),
    Indicator("env_unsanitary", Domain.ENVIRONMENT, _("Unsanitary housing"), 2, poverty=True),
    Indicator("env_utilities", Domain.ENVIRONMENT, _("No heating or electricity"), 2, poverty=True),
    Indicator(
        "env_income",
        Domain.ENVIRONMENT,
        _("Chronic low income or long unemployment"),
        1,
        poverty=True,
    ),
    Indicator("env_debt", Domain.ENVIRONMENT, _("Housing debt over 6 months"), 1, poverty=True),
    Indicator("env_isolation", Domain.ENVIRONMENT, _("No support from relatives or community"), 1),
)
INDICATOR_BY_CODE = {i.code: i for i in INDICATORS}


@dataclass(frozen=True)
class Strength:
    code: str
    label: str
    weight: int = 1


STRENGTHS: tuple[Strength, ...] = (
    Strength("attachment", _("Warm attachment between the child and the caregivers")),
    Strength("cooperation", _("The family cooperates with specialists")),
    Strength("relatives", _("Supportive relatives or community")),
    Strength("routine", _("The child attends school or kindergarten regularly")),
    Strength("insight", _("Caregivers recognise the problem and want change")),
)
STRENGTH_BY_CODE = {s.code: s for s in STRENGTHS}

# Answer → multiplier of the indicator's weight. «Not known» is a legitimate answer (the
# specialist could not find out), not a «no»: it adds nothing to the score but is counted
# on its own, and the result says how high the score could be if the unknowns were true.
ANSWER_NO, ANSWER_PARTLY, ANSWER_YES, ANSWER_UNKNOWN = "no", "partly", "yes", "unknown"
ANSWER_FACTORS = {ANSWER_NO: 0, ANSWER_PARTLY: 1, ANSWER_YES: 2, ANSWER_UNKNOWN: 0}
ANSWER_LABELS = {
    ANSWER_YES: _("Yes"),
    ANSWER_PARTLY: _("Partly"),
    ANSWER_NO: _("No"),
    ANSWER_UNKNOWN: _("Not known (answer)"),  # its own msgid: other apps say «Не известен»
}

LEVEL_NONE, LEVEL_EARLY, LEVEL_TZHS, LEVEL_SOP = "none", "early", "tzhs", "sop"
# Lowest score of each level; a region may tune these, which is why they are data.
DEFAULT_THRESHOLDS: tuple[tuple[int, str], ...] = (
    (16, LEVEL_SOP),
    (8, LEVEL_TZHS),
    (1, LEVEL_EARLY),
)
# Strengths lower the score but never by more than this, so they cannot hide a danger sign.
MAX_STRENGTH_CREDIT = 4


@dataclass(frozen=True)
class Contribution:
    code: str
    label: str
    domain: str
    answer: str
    points: int
    poverty: bool


@dataclass
class ScoreResult:
    score: int
    proposed_level: str
    contributions: list[Contribution] = field(default_factory=list)
    domain_totals: dict[str, int] = field(default_factory=dict)
    strength_credit: int = 0
    poverty_capped: bool = False
    # Indicators answered «not known», and those not answered at all (a finished
    # assessment has none: an untouched indicator is not a «no»).
    unknown: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    # The score and level if every «not known» turned out «yes»: what the unknowns may hide.
    ceiling: int = 0
    ceiling_level: str = LEVEL_NONE

    @property
    def complete(self) -> bool:
        return not self.unanswered


def level_for(score: int, thresholds: Sequence[tuple[int, str]] = DEFAULT_THRESHOLDS) -> str:
    for minimum, level in thresholds:
        if score >= minimum:
            return level
    return LEVEL_NONE


def score(
    answers: Mapping[str, str],
    strengths: Sequence[str] = (),
    thresholds: Sequence[tuple[int, str]] = DEFAULT_THRESHOLDS,
) -> ScoreResult:
    """Score the answers; unknown codes or answers raise ValueError rather than pass silently.

    Indicators missing from ``answers`` are reported as unanswered, never taken as «no».
    """
    contributions: list[Contribution] = []
    totals = dict.fromkeys(DOMAIN_LABELS, 0)
    non_poverty = 0
    for code, answer in answers.items():
        indicator = INDICATOR_BY_CODE.get(code)
        if indicator is None:
            raise ValueError(f"unknown indicator {code!r}")
        if answer not in ANSWER_FACTORS:
            raise ValueError(f"unknown answer {answer!r} for {code!r}")
        points = indicator.weight * ANSWER_FACTORS[answer]
        if not points:
            continue
        contributions.append(
            Contribution(code, indicator.label, indicator.domain, answer, points, indicator.poverty)
        )
        totals[indicator.domain] += points
        if not indicator.poverty:
            non_poverty += points
    for code in strengths:
        if code not in STRENGTH_BY_CODE:
            raise ValueError(f"unknown strength {code!r}")
    credit = min(sum(STRENGTH_BY_CODE[c].weight for c in set(strengths)), MAX_STRENGTH_CREDIT)
    raw = sum(totals.values())
    total = max(raw - credit, 0) if raw else 0
    proposed = level_for(total, thresholds)
    capped = False
    if proposed == LEVEL_SOP and level_for(max(non_poverty - credit, 0), thresholds) != LEVEL_SOP:
        proposed, capped = LEVEL_TZHS, True
    contributions.sort(key=lambda c: (-c.points, c.code))
    unknown = [i.code for i in INDICATORS if answers.get(i.code) == ANSWER_UNKNOWN]
    ceiling, ceiling_level = total, proposed
    if unknown:
        worst = score({**answers, **dict.fromkeys(unknown, ANSWER_YES)}, strengths, thresholds)
        ceiling, ceiling_level = worst.score, worst.proposed_level
    return ScoreResult(
        total,
        proposed,
        contributions,
        totals,
        credit if raw else 0,
        capped,
        unknown=unknown,
        unanswered=[i.code for i in INDICATORS if i.code not in answers],
        ceiling=ceiling,
        ceiling_level=ceiling_level,
    )
