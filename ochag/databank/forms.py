"""Forms of the data bank's screens (thin: the services check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import MultipleChoiceField
from django.utils.translation import gettext_lazy as _

from ochag.core.forms import RuDateField
from ochag.databank.models import (
    CandidateFamily,
    ChildProfile,
    Conclusion,
    ContactOutcome,
    Document,
    FormOfCare,
    Need,
)
from ochag.registry.models import Person


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's refusal on the form's fields (or above it), keeping what was typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class _PersonField(forms.IntegerField):
    """A registry person by number, among those the user may see."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.persons: models.QuerySet[Person] = Person.objects.none()
        super().__init__(*args, min_value=1, **kwargs)

    def clean(self, value: Any) -> Person:
        number = super().clean(value)
        person = self.persons.filter(pk=number).first()
        if person is None:
            raise ValidationError(_("No person with this number in the registry you can see."))
        return person


_CHECKBOXES = forms.CheckboxSelectMultiple


class ChildForm(forms.ModelForm):
    person = _PersonField(label=_("Child's number in the registry"))
    identified_on = RuDateField(label=_("Identified on"))
    forms = MultipleChoiceField(
        label=_("Possible forms of care"), choices=FormOfCare.choices, widget=_CHECKBOXES
    )
    needs = MultipleChoiceField(
        label=_("Health needs"), choices=Need.choices, widget=_CHECKBOXES, required=False
    )

    class Meta:
        model = ChildProfile
        fields = [
            "legal_status",
            "forms",
            "health_group",
            "needs",
            "language",
            "ethnicity",
            "religion",
            "description",
            "photo_consent",
            "home_lat",
            "home_lon",
        ]

    def __init__(self, *args: Any, persons: models.QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].persons = persons  # type: ignore[attr-defined]
        self.fields["health_group"].widget.attrs.update(min=1, max=5)

    def clean_health_group(self) -> int:
        value: int = self.cleaned_data["health_group"]
        if not 1 <= value <= 5:
            raise ValidationError(_("Health groups are 1 to 5."))
        return value


class FamilyForm(forms.ModelForm):
    applicant = _PersonField(label=_("Applicant's number in the registry"))
    applied_on = RuDateField(label=_("Applied on"))
    training_done_on = RuDateField(label=_("Foster parents' school finished on"), required=False)
    documents = MultipleChoiceField(
        label=_("Documents received"), choices=Document.choices, widget=_CHECKBOXES, required=False
    )
    forms = MultipleChoiceField(
        label=_("Forms of care applied for"), choices=FormOfCare.choices, widget=_CHECKBOXES
    )
    accepted_needs = MultipleChoiceField(
        label=_("Health needs accepted"), choices=Need.choices, widget=_CHECKBOXES, required=False
    )

    class Meta:
        model = CandidateFamily
        fields = [
            "documents",
            "training_done_on",
            "training_exemption",
            "forms",
            "capacity",
            "age_min",
            "age_max",
            "sex",
            "siblings",
            "accepted_needs",
            "health_group_max",
            "languages",
            "ethnicity",
            "religion",
            "max_distance_km",
            "home_lat",
            "home_lon",
        ]

    def __init__(self, *args: Any, persons: models.QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applicant"].persons = persons  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The upper age is below the lower one."))
        return data


class ContactForm(forms.Form):
    family = forms.IntegerField(label=_("Family number"), min_value=1)
    on = RuDateField(label=_("Date"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PlacementForm(forms.Form):
    on = RuDateField(label=_("Placed on"))
    form = forms.ChoiceField(label=_("Form of care"), choices=FormOfCare.choices)


class InspectionForm(forms.Form):
    on = RuDateField(label=_("Home inspected on"))


class ConclusionForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Conclusion.choices)
    valid_until = RuDateField(label=_("Valid until"), required=False)
