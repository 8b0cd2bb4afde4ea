"""Forms of the assessments: the safety check, a removal and the risk assessment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ochag.cases import scoring
from ochag.cases.models import Level
from ochag.core.forms import RuDateField, text_area
from ochag.registry.models import Person


class SafetyForm(forms.Form):
    criteria = forms.MultipleChoiceField(
        label=_("Criteria met"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(c.code, _(c.label)) for c in scoring.SAFETY_CRITERIA],
    )
    immediate_threat = forms.TypedChoiceField(
        label=_("Is there an immediate threat to the child's life or health?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    reason = forms.CharField(
        label=_("Reasoning"),
        widget=text_area(),
        help_text=_("What you saw and why it does or does not amount to a threat."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("immediate_threat") and not data.get("criteria"):
            self.add_error("criteria", _("Mark the criteria the threat rests on."))
        return data


class RemovalForm(forms.Form):
    children: forms.ModelMultipleChoiceField[Person] = forms.ModelMultipleChoiceField(
        label=_("Children removed"),
        queryset=None,  # the family's children the user may see: set by __init__
        widget=forms.CheckboxSelectMultiple,
    )
    act_number = forms.CharField(label=_("Guardianship act number"), max_length=60)
    act_date = RuDateField(label=_("Date of the act"))
    prosecutor_notified_on = RuDateField(label=_("Prosecutor notified on"))
    placement = forms.CharField(label=_("Temporary placement"), max_length=300)
    reason = forms.CharField(
        label=_("Reason for removal"),
        widget=text_area(),
        help_text=_("Why help in the family could not remove the threat."),
    )
    poverty_justification = forms.CharField(
        label=_("Justification despite poverty-type grounds"),
        widget=text_area(),
        required=False,
        help_text=_(
            "Required when the threat rests only on poverty-type grounds; the removal "
            "then goes to the justification panel."
        ),
    )

    def __init__(
        self, *args: Any, children: QuerySet[Person], poverty_only: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = children  # type: ignore[attr-defined]
        self.poverty_only = poverty_only
        self.fields["poverty_justification"].required = poverty_only

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        act, told = data.get("act_date"), data.get("prosecutor_notified_on")
        if act and told and told < act:
            self.add_error(
                "prosecutor_notified_on", _("The prosecutor cannot be notified before the act.")
            )
        return data


ANSWER_CHOICES = [(k, _(v)) for k, v in scoring.ANSWER_LABELS.items()]


class RiskForm(forms.Form):
    """One field per indicator (named ``ind_<code>``), then strengths and the decision."""

    strengths = forms.MultipleChoiceField(
        label=_("Strengths of the family"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(s.code, _(s.label)) for s in scoring.STRENGTHS],
    )
    strengths_note = forms.CharField(
        label=_("Other strengths"), required=False, widget=text_area(2)
    )
    # Validated as optional so the score can be previewed first; saving requires it.
    level = forms.ChoiceField(
        label=_("Level decided by the specialist"),
        choices=[("", "—"), *Level.choices],
        required=False,
        help_text=_("The score only proposes a level. Departing from it needs a reason."),
    )
    override_reason = forms.CharField(
        label=_("Reason for departing from the proposal"), required=False, widget=text_area(3)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in scoring.INDICATORS:
            label = gettext(indicator.label)
            if indicator.poverty:
                label = f"{label} ({gettext('poverty-type')})"
            # No initial answer: an untouched form must not read as "no risk". Optional
            # here so the score can be previewed; finishing requires every answer.
            self.fields[f"ind_{indicator.code}"] = forms.ChoiceField(
                label=label,
                choices=ANSWER_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "radios--inline"}),
            )

    def domains(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (
                gettext(label),
                [self[f"ind_{i.code}"] for i in scoring.INDICATORS if i.domain == domain],
            )
            for domain, label in scoring.DOMAIN_LABELS.items()
        ]

    def answers(self) -> dict[str, str]:
        """The indicators answered so far; an unanswered one is left out, never taken as no."""
        answered = {i.code: self.cleaned_data.get(f"ind_{i.code}") for i in scoring.INDICATORS}
        return {code: answer for code, answer in answered.items() if answer}

    def require_every_answer(self) -> bool:
        """Mark each unanswered indicator; True when none is left."""
        missing = self.result().unanswered
        for code in missing:
            self.add_error(
                f"ind_{code}",
                gettext("Answer this indicator: yes, partly, no or not known."),
            )
        return not missing

    def result(self) -> scoring.ScoreResult:
        return scoring.score(self.answers(), self.cleaned_data.get("strengths") or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        level = data.get("level")
        if (
            level
            and level != self.result().proposed_level
            and not data.get("override_reason", "").strip()
        ):
            self.add_error("override_reason", _("Say why you depart from the proposed level."))
        return data
