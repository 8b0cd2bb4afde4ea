"""Safety assessment, emergency removal (СК 77) and the risk assessment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from ochag.access.requests import user_of
from ochag.cases import policies, scoring, services
from ochag.cases.forms import assessments as case_forms
from ochag.cases.models import EmergencyRemoval, Level, SafetyAssessment
from ochag.cases.views.common import can_remove, case_context, done, edit_page, managed_record
from ochag.core.forms import add_errors
from ochag.registry import selectors as registry_selectors


def safety_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_changeable(user, pk=pk)

    def success(assessment: SafetyAssessment) -> str:
        if assessment.immediate_threat:
            messages.warning(
                request,
                _(
                    "Immediate threat recorded. Help that removes the threat comes first; a "
                    "removal is recorded only by the guardianship body."
                ),
            )
        return _("Safety assessment recorded.")

    return edit_page(
        request,
        case,
        make_form=case_forms.SafetyForm,
        save=lambda data: services.safety_assessment_record(
            actor=user,
            case=case,
            criteria=data["criteria"],
            immediate_threat=data["immediate_threat"],
            reason=data["reason"],
        ),
        success=success,
        title=_("Safety assessment"),
        submit=_("Save"),
        intro=_(
            "Safety comes first: answer whether the child faces an immediate "
            "threat now, against the listed criteria."
        ),
    )


def removal_new(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_visible(user, pk=pk)
    try:
        assessment = case.safety_assessments.get(pk=assessment_pk)
    except SafetyAssessment.DoesNotExist as exc:
        raise Http404 from exc
    if not can_remove(user, case):
        raise PermissionDenied
    # The family's children as far as the registry lets the user see them (need-to-know).
    children = registry_selectors.household_children(user, case.household)

    def make_form(data: Any) -> case_forms.RemovalForm:
        form = case_forms.RemovalForm(data, children=children, poverty_only=assessment.poverty_only)
        if not assessment.immediate_threat:
            # An error on the form keeps it from validating, so nothing is saved.
            form.add_error(
                None,
                _(
                    "This safety assessment found no immediate threat: a removal cannot be "
                    "recorded."
                ),
            )
        return form

    def success(removal: EmergencyRemoval) -> str:
        return _(
            "Emergency removal recorded. The court claim is due by %(date)s (7 calendar "
            "days, Family Code Art. 77)."
        ) % {"date": removal.claim_deadline.strftime("%d.%m.%Y")}

    return edit_page(
        request,
        case,
        make_form=make_form,
        save=lambda data: services.emergency_removal_record(
            actor=user,
            assessment=assessment,
            children=list(data["children"]),
            act_number=data["act_number"],
            act_date=data["act_date"],
            prosecutor_notified_on=data["prosecutor_notified_on"],
            placement=data["placement"],
            reason=data["reason"],
            poverty_justification=data["poverty_justification"],
        ),
        success=success,
        title=_("Emergency removal (Family Code Art. 77)"),
        submit=_("Record the removal"),
        poverty_only=assessment.poverty_only,
        intro=_(
            "Only when help in the family cannot remove an immediate threat. "
            "Notify the prosecutor at once; the claim to the court is due "
            "within 7 calendar days."
        ),
    )


def risk_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview the advisory score, then save with the level the specialist decides on."""
    user = user_of(request)
    case = policies.cases.get_changeable(user, pk=pk)
    if not case.safety_assessments.exists():
        messages.warning(request, _("Record a safety assessment before the risk assessment."))
        return redirect("cases:safety", case.pk)
    form = case_forms.RiskForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = form.result()
        if "save" not in request.POST and not form.cleaned_data["level"]:
            # The proposal is the starting point; the specialist may change it with a reason.
            rebound = request.POST.copy()
            rebound["level"] = result.proposed_level
            form = case_forms.RiskForm(rebound)
            form.is_valid()
        if "save" in request.POST:
            # Finishing needs every indicator answered («not known» counts) and a level.
            complete = form.require_every_answer()
            level = form.cleaned_data.get("level")
            if not level:
                form.add_error("level", _("Choose the level you decide on."))
            elif complete:
                data = form.cleaned_data
                try:
                    services.risk_assessment_record(
                        actor=user,
                        case=case,
                        answers=form.answers(),
                        strengths=data["strengths"],
                        strengths_note=data["strengths_note"],
                        level=level,
                        override_reason=data["override_reason"],
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    return done(request, case, _("Risk assessment recorded."))
    return render(
        request,
        "cases/risk_form.html",
        case_context(
            request,
            case,
            form=form,
            result=result,
            contributions=_contributions(result),
            unknown=_labels(result.unknown) if result else [],
            ceiling_level=Level(result.ceiling_level).label if result else "",
        ),
    )


def _labels(codes: list[str]) -> list[str]:
    return [gettext(scoring.INDICATOR_BY_CODE[code].label) for code in codes]


def _contributions(result: scoring.ScoreResult | None) -> list[dict[str, Any]]:
    if result is None:
        return []
    return [
        {
            "label": c.label,
            "domain": scoring.DOMAIN_LABELS[c.domain],
            "answer": scoring.ANSWER_LABELS[c.answer],
            "points": c.points,
            "poverty": c.poverty,
        }
        for c in result.contributions
    ]


def risk_detail(request: HttpRequest, pk: int, risk_pk: int) -> HttpResponse:
    """Only for those who run the case: for other participants the assessment is absent."""
    user = user_of(request)
    case, risk = managed_record(
        user, pk, lambda case: case.risk_assessments.select_related("assessed_by"), risk_pk
    )
    rows = [
        {
            "label": scoring.INDICATOR_BY_CODE[c["code"]].label,
            "domain": scoring.DOMAIN_LABELS[c["domain"]],
            "answer": scoring.ANSWER_LABELS[c["answer"]],
            "points": c["points"],
            "poverty": c["poverty"],
        }
        for c in risk.contributions
    ]
    strengths = [
        scoring.STRENGTH_BY_CODE[s].label for s in risk.strengths if s in scoring.STRENGTH_BY_CODE
    ]
    unknown = [code for code, answer in risk.answers.items() if answer == scoring.ANSWER_UNKNOWN]
    return render(
        request,
        "cases/risk_detail.html",
        case_context(
            request,
            case,
            risk=risk,
            contributions=rows,
            strengths=strengths,
            unknown=_labels(unknown),
        ),
    )
