"""Safety assessment, emergency removal (СК 77) and the risk assessment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.cases import scoring
from ochag.cases.models import (
    Case,
    CaseAction,
    DayKind,
    EmergencyRemoval,
    RiskAssessment,
    SafetyAssessment,
    Task,
)
from ochag.cases.services.common import (
    COURT_CLAIM_DAYS,
    COURT_CLAIM_SOURCE,
    participate,
)
from ochag.core.deadlines import due_date
from ochag.core.services import audit_record
from ochag.registry.models import Person


@transaction.atomic
def safety_assessment_record(
    *,
    actor: User,
    case: Case,
    criteria: Sequence[str],
    immediate_threat: bool,
    reason: str,
) -> SafetyAssessment:
    unknown = [c for c in criteria if c not in scoring.SAFETY_BY_CODE]
    if unknown:
        raise ValidationError(_("Unknown safety criteria."))
    if not reason.strip():
        raise ValidationError(_("State the reasoning of the assessment."))
    assessment = SafetyAssessment(
        case=case,
        criteria=list(criteria),
        immediate_threat=immediate_threat,
        reason=reason.strip(),
        poverty_only=scoring.poverty_only(criteria),
        assessed_by=actor,
    )
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action=CaseAction.SAFETY_ASSESSED,
        obj=case,
        detail={"threat": immediate_threat, "criteria": list(criteria)},
    )
    return assessment


@transaction.atomic
def emergency_removal_record(
    *,
    actor: User,
    assessment: SafetyAssessment,
    children: Sequence[Person],
    act_number: str,
    act_date: dt.date,
    prosecutor_notified_on: dt.date,
    placement: str,
    reason: str,
    poverty_justification: str = "",
) -> EmergencyRemoval:
    """Record a removal under СК 77. Only after an assessment that found an immediate threat."""
    case = assessment.case
    if actor.agency is None:
        raise ValidationError(_("Only staff of a guardianship body record a removal."))
    if not assessment.immediate_threat:
        raise ValidationError(
            _("A removal needs a safety assessment that found an immediate threat.")
        )
    if EmergencyRemoval.objects.filter(safety_assessment=assessment).exists():
        raise ValidationError(_("A removal is already recorded for this assessment."))
    if not children:
        raise ValidationError(_("Choose the children removed."))
    claim_deadline = due_date(
        act_date, COURT_CLAIM_DAYS, kind=DayKind.CALENDAR, territory=case.territory
    )
    removal = EmergencyRemoval(
        case=case,
        safety_assessment=assessment,
        act_number=act_number.strip(),
        act_date=act_date,
        prosecutor_notified_on=prosecutor_notified_on,
        placement=placement.strip(),
        reason=reason.strip(),
        poverty_only=assessment.poverty_only,
        poverty_justification=poverty_justification.strip(),
        flagged_for_panel=assessment.poverty_only,
        claim_deadline=claim_deadline,
        claim_deadline_days=COURT_CLAIM_DAYS,
        claim_deadline_kind=DayKind.CALENDAR,
        claim_legal_source=COURT_CLAIM_SOURCE,
        recorded_by=actor,
    )
    removal.full_clean(exclude=["case", "safety_assessment"])
    removal.save()
    removal.children.set(children)
    # The court claim is a first-class deadline, tracked and escalated like any task.
    Task.objects.create(
        case=case,
        title=_("File a claim to terminate or restrict parental rights"),
        owner_agency=actor.agency,
        assignee=actor,
        start_date=act_date,
        deadline_days=COURT_CLAIM_DAYS,
        deadline_kind=DayKind.CALENDAR,
        legal_source=COURT_CLAIM_SOURCE,
        due_on=claim_deadline,
        is_legal=True,
        created_by=actor,
    )
    participate(case, actor.agency)
    audit_record(
        actor=actor,
        action=CaseAction.REMOVAL_RECORDED,
        obj=case,
        detail={
            "act": act_number,
            "poverty_only": removal.poverty_only,
            "children": [c.pk for c in children],
        },
    )
    return removal


@transaction.atomic
def risk_assessment_record(
    *,
    actor: User,
    case: Case,
    answers: dict[str, str],
    strengths: Sequence[str],
    strengths_note: str,
    level: str,
    override_reason: str,
) -> RiskAssessment:
    """Safety first: a risk assessment needs an earlier safety assessment (domain §10)."""
    if not case.safety_assessments.exists():
        raise ValidationError(_("Record a safety assessment before the risk assessment."))
    result = scoring.score(answers, strengths)
    if not result.complete:
        raise ValidationError(
            _("Answer every indicator (%(n)s unanswered); «not known» is an answer.")
            % {"n": len(result.unanswered)}
        )
    assessment = RiskAssessment(
        case=case,
        answers=answers,
        strengths=list(strengths),
        strengths_note=strengths_note,
        score=result.score,
        proposed_level=result.proposed_level,
        level=level,
        poverty_capped=result.poverty_capped,
        override_reason=override_reason.strip(),
        contributions=[
            {
                "code": c.code,
                "domain": c.domain,
                "answer": c.answer,
                "points": c.points,
                "poverty": c.poverty,
            }
            for c in result.contributions
        ],
        assessed_by=actor,
    )
    assessment.full_clean(exclude=["case"])
    assessment.save()
    Case.objects.filter(pk=case.pk).update(level=level)
    case.level = level
    audit_record(
        actor=actor,
        action=CaseAction.RISK_ASSESSED,
        obj=case,
        detail={
            "score": result.score,
            "proposed": result.proposed_level,
            "level": level,
            "overridden": assessment.overridden,
        },
    )
    return assessment
