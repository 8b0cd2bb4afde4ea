"""Forms of the data bank's screens (thin: the services check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import MultipleChoiceField
from django.utils.translation import gettext_lazy as _

from ochag.care import selectors as care_selectors
from ochag.core.forms import RuDateField
from ochag.core.models import Territory
from ochag.databank.models import (
    CandidateFamily,
    ChildProfile,
    Conclusion,
    ContactOutcome,
    Document,
    FormOfCare,
    Need,
    PhotoPurpose,
)
from ochag.databank.services.bank import CHILD_FIELDS, FAMILY_FIELDS
from ochag.registry.models import Person


class _PersonField(forms.IntegerField):
    """A registry person by number, among those the user may see."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The registry's persons the user may see, set by the form (none until then).
        self.persons: models.QuerySet[Person] | None = None
        super().__init__(*args, min_value=1, **kwargs)

    def clean(self, value: Any) -> Person:
        number = super().clean(value)
        person = None if self.persons is None else self.persons.filter(pk=number).first()
        if person is None:
            raise ValidationError(_("No person with this number in the registry you can see."))
        return person


_CHECKBOXES = forms.CheckboxSelectMultiple


def municipalities(region: Territory | None) -> models.QuerySet[Territory]:
    if region is None:
        return Territory.objects.none()
    return Territory.objects.filter(
        level=Territory.Level.MUNICIPALITY, path__startswith=region.path
    ).order_by("name")


HOME_FIELDS = ["home_territory", "home_lat", "home_lon"]


class _ProfileForm(forms.ModelForm):
    """A child's profile or a family: the registry person it is about (``person_field``,
    among ``persons``, absent once the record exists) and the home — a municipality, and
    coordinates only when the address is known precisely (blank: the municipality's centre
    from the committed table)."""

    person_field: str

    def __init__(
        self,
        *args: Any,
        persons: models.QuerySet[Person] | None = None,
        region: Territory | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.person_field in self.fields:
            self.fields[self.person_field].persons = persons  # type: ignore[attr-defined]
        field = self.fields["home_territory"]
        field.queryset = municipalities(region)  # type: ignore[attr-defined]
        field.required = True
        for name in ("home_lat", "home_lon"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Blank: the centre of the municipality.")
        instance = self.instance
        if instance.pk and instance.home_by_centroid:
            self.initial["home_lat"] = self.initial["home_lon"] = None


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput)


class ChildForm(_ProfileForm):
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
        fields = [*CHILD_FIELDS, *HOME_FIELDS]

    person_field = "person"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["health_group"].widget.attrs.update(min=1, max=5)
        self.fields["legal_status"].required = False
        self.fields["legal_status"].help_text = _(
            "Taken from the care record where the child has one."
        )

    def clean_health_group(self) -> int:
        value: int = self.cleaned_data["health_group"]
        if not 1 <= value <= 5:
            raise ValidationError(_("Health groups are 1 to 5."))
        return value


class ChildEditForm(ChildForm):
    """The profile after it entered the bank (the child and the day identified stay)."""

    version = _version()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from_care = care_selectors.legal_status_of(self.instance.person_id)
        if from_care:
            # Care keeps the status (a court decision is recorded there): shown, not typed.
            field = self.fields["legal_status"]
            field.disabled = True
            field.initial = self.initial["legal_status"] = from_care
            field.help_text = _("From the care record; it changes there.")

    person = None  # type: ignore[assignment]
    identified_on = None  # type: ignore[assignment]


class FamilyForm(_ProfileForm):
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
        fields = [*FAMILY_FIELDS, *HOME_FIELDS]

    person_field = "applicant"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The upper age is below the lower one."))
        return data


class FamilyEditForm(FamilyForm):
    """The family's documents, training and wishes after the application."""

    version = _version()
    applicant = None  # type: ignore[assignment]
    applied_on = None  # type: ignore[assignment]


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo (JPEG or PNG, up to 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    consent_by = forms.CharField(
        label=_("Consent given by (name and capacity)"),
        max_length=200,
        help_text=_("E.g. the guardian, the head of the institution; the child from 10 years."),
    )
    consent_on = RuDateField(label=_("Consent given on"))
    purposes = MultipleChoiceField(
        label=_("Consent given for"), choices=PhotoPurpose.choices, widget=_CHECKBOXES
    )


class PhotoRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Why the photo is removed"), max_length=300)


class SiblingGroupForm(forms.Form):
    version = _version()
    must_be_together = forms.BooleanField(label=_("Must be placed together"), required=False)
    separation_document = forms.CharField(
        label=_("Decision to place apart: document and number"), max_length=200, required=False
    )
    separation_on = RuDateField(label=_("Date of the decision"), required=False)


class SiblingsJoinForm(forms.Form):
    others = forms.CharField(
        label=_("Profile numbers of the brothers and sisters"),
        help_text=_("Comma-separated, e.g. 12, 15"),
        max_length=200,
    )

    def clean_others(self) -> list[int]:
        raw = self.cleaned_data["others"]
        try:
            numbers = sorted({int(x) for x in raw.replace(";", ",").split(",") if x.strip()})
        except ValueError as exc:
            raise ValidationError(_("Give profile numbers separated by commas.")) from exc
        if not numbers:
            raise ValidationError(_("Give at least one profile number."))
        return numbers


class SiblingAddForm(forms.Form):
    child = forms.IntegerField(label=_("Profile number of the brother or sister"), min_value=1)


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
