from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.core.forms import RuDateField


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
