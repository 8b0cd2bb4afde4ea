from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.core.forms import RuDateField
from ochag.monitoring.models import CustomIndicator


class TargetForm(forms.Form):
    territory: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label=_("Territory"),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.DecimalField(
        label=_("Target"),
        required=False,
        max_digits=12,
        decimal_places=1,
        help_text=_("Leave empty to remove the target."),
    )

    def __init__(self, *args: Any, territories: models.QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories  # type: ignore[attr-defined]


class TrainingForm(forms.Form):
    specialist: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label=_("Specialist"),
    )
    course = forms.CharField(label=_("Course"), max_length=300)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=2000)
    completed_on = RuDateField(label=_("Completed on"))
    certificate = forms.CharField(label=_("Certificate number"), max_length=100, required=False)

    def __init__(self, *args: Any, specialists: models.QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = specialists  # type: ignore[attr-defined]


class ChecklistForm(forms.Form):
    document = forms.CharField(label=_("Document"), max_length=300)
    dated = RuDateField(label=_("Date of the document"))
    link = forms.URLField(label=_("Link"), required=False)


DIRECTIONS = [
    ("up", _("Higher is better")),
    ("down", _("Lower is better")),
    ("none", _("Neither direction is better in itself")),
]


class CustomIndicatorForm(forms.Form):
    """A regional indicator. Each count's filter lists the breakdowns of the count chosen;
    after changing a count, «Show its filters» reloads them (no script)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=60, help_text=_("For example: families"))
    formula = forms.CharField(
        label=_("How it is counted, in words"), widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CustomIndicator.Kind.choices, widget=forms.RadioSelect
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=DIRECTIONS)
    numerator = forms.ChoiceField(label=_("Count"))
    numerator_territory: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Only in the municipality")
    )
    numerator_filter = forms.ChoiceField(label=_("Only where"), required=False)
    denominator = forms.ChoiceField(
        label=_("Divided by the count"), required=False, help_text=_("For a ratio only.")
    )
    denominator_territory: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Only in the municipality")
    )
    denominator_filter = forms.ChoiceField(label=_("Only where"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        bases: list[tuple[str, str]],
        municipalities: models.QuerySet[Any],
        filters: dict[str, list[tuple[str, str]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("— choose —")), *bases]
        self.fields["numerator"].choices = every  # type: ignore[attr-defined]
        self.fields["denominator"].choices = every  # type: ignore[attr-defined]
        for part in ("numerator", "denominator"):
            self.fields[f"{part}_territory"].queryset = municipalities  # type: ignore[attr-defined]
            self.fields[f"{part}_territory"].empty_label = _("The whole territory")  # type: ignore[attr-defined]
            self.fields[f"{part}_filter"].choices = [  # type: ignore[attr-defined]
                ("", _("No filter")),
                *filters.get(part, []),
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == CustomIndicator.Kind.RATIO and not data.get("denominator"):
            self.add_error("denominator", _("A ratio needs the count to divide by."))
        return data

    def up_is_good(self) -> bool | None:
        return {"up": True, "down": False}.get(self.cleaned_data["direction"])
