"""Forms of the care screens. Dates are typed ДД.ММ.ГГГГ (core's RuDateField)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency
from ochag.care.models import IncidentKind, Institution
from ochag.core.forms import RuDateField
from ochag.core.models import Territory


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's refusal on the form's fields (or above it), keeping what was typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = [
            "name",
            "type",
            "territory",
            "address",
            "operating_agency",
            "agency",
            "capacity",
            "distance_km",
            "travel_minutes",
            "transformation_target",
            "transformation_status",
            "is_active",
        ]

    def __init__(
        self,
        *args: Any,
        territories: QuerySet[Territory],
        agencies: QuerySet[Agency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories.filter(  # type: ignore[attr-defined]
            level=Territory.Level.MUNICIPALITY
        )
        self.fields["operating_agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    owner = forms.CharField(label=_("Responsible"), max_length=200)
    due_on = RuDateField(label=_("Due"))


class VisitForm(forms.Form):
    visited_on = RuDateField(label=_("Date of the visit"))
    announced = forms.TypedChoiceField(
        label=_("The visit was"),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        choices=[("1", _("announced in advance")), ("0", _("unannounced"))],
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    occurred_on = RuDateField(label=_("Date"))
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up = forms.CharField(label=_("Follow-up task"), max_length=300)
    follow_up_agency = forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.none()
    )
    follow_up_days = forms.IntegerField(
        label=_("Working days to complete"), min_value=0, max_value=60, initial=5
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follow_up_agency"].queryset = agencies  # type: ignore[attr-defined]
