"""Forms of the registry screens. Dates are typed as ДД.ММ.ГГГГ (or ММ.ГГГГ, ГГГГ)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency
from ochag.core.forms import RuDateField, SearchFormMixin
from ochag.core.models import Territory
from ochag.linkage import snils_normalise
from ochag.registry.disability import DisabilityStatus, PersonDisability
from ochag.registry.models import MemberRole, Person, RelationKind, Sex, snils_checksum_ok
from ochag.registry.schooling import SchoolKind
from ochag.registry.services import DisabilityData, PersonData, parse_birth


class SearchForm(SearchFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Name, date of birth, year or SNILS"), required=False, max_length=200,
        help_text=_("Any part of the name in any form: «Саша Иванова», «Ivanova», "
                    "«Ивановой 2015», «05.03.2015», «112-233-445 95»."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )  # fmt: skip


class PersonForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False,
                            choices=[("", _("Not known")), *Sex.choices])  # fmt: skip
    birth = forms.CharField(
        label=_("Date of birth"), max_length=10, required=False,
        help_text=_("ДД.ММ.ГГГГ; if only part is known, ММ.ГГГГ or the year."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    snils = forms.CharField(label=_("SNILS"), max_length=20, required=False,
                            help_text=_("11 digits, e.g. 112-233-445 95."))  # fmt: skip
    birth_certificate = forms.CharField(label=_("Birth certificate"), max_length=40,
                                        required=False)  # fmt: skip
    citizenship = forms.CharField(label=_("Citizenship"), max_length=60, required=False,
                                  initial="RUS")  # fmt: skip
    territory = forms.ModelChoiceField(label=_("Municipality"), queryset=Territory.objects.none())
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, territories: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories  # type: ignore[attr-defined]

    def clean_birth(self) -> tuple[int | None, int | None, int | None]:
        value = self.cleaned_data["birth"]
        try:
            return parse_birth(value)
        except ValueError as exc:
            raise ValidationError(_("Enter the date as ДД.ММ.ГГГГ, ММ.ГГГГ or a year, "
                                    "e.g. 05.03.2015.")) from exc  # fmt: skip

    def clean_snils(self) -> str:
        value = self.cleaned_data["snils"].strip()
        if not value:
            return ""
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) != 11:
            raise ValidationError(_("SNILS has 11 digits."))
        if not snils_checksum_ok(digits):
            raise ValidationError(_("SNILS has a wrong check number; check the digits."))
        return snils_normalise(digits) or digits

    @staticmethod
    def person_data(d: Mapping[str, Any]) -> PersonData:
        """The person as the form's cleaned data ``d`` states them."""
        year, month, day = d["birth"]
        return PersonData(
            last_name=d["last_name"], first_name=d["first_name"], patronymic=d["patronymic"],
            sex=d["sex"], birth_year=year, birth_month=month, birth_day=day, snils=d["snils"],
            birth_certificate=d["birth_certificate"], citizenship=d["citizenship"],
            address=d["address"], territory=d["territory"],
        )  # fmt: skip

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        return {
            "last_name": person.last_name, "first_name": person.first_name,
            "patronymic": person.patronymic, "sex": person.sex, "birth": person.birth_display,
            "snils": person.snils, "birth_certificate": person.birth_certificate,
            "citizenship": person.citizenship, "territory": person.territory_id,
            "address": person.address, "version": person.version,
        }  # fmt: skip


class PersonEditForm(PersonForm):
    """The edit form; ``with_disability`` (the user may see health data) adds the disability
    status, ``current`` being the status recorded now. Nothing recorded can be left so; once
    recorded, a status is changed, never cleared (the history keeps every row)."""

    def __init__(self, *args: Any, with_disability: bool = False,
                 current: PersonDisability | None = None, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.with_disability = with_disability
        if not with_disability:
            return
        row = current
        blank = [] if row else [("", _("Not recorded"))]
        self.fields["disability"] = forms.ChoiceField(
            label=_("Disability"), required=row is not None,
            choices=[*blank, *DisabilityStatus.choices],
            help_text=_("As the medico-social expertise (МСЭ) decided; health data, shown only "
                        "to the bodies working with the family."),
        )  # fmt: skip
        self.fields["disability_established_on"] = RuDateField(
            label=_("Disability established on"), required=False)  # fmt: skip
        self.fields["disability_review_on"] = RuDateField(
            label=_("Next review (re-examination)"), required=False,
            help_text=_("If the disability was established for a term; ДД.ММ.ГГГГ."))  # fmt: skip
        self.fields["disability_seen"] = forms.IntegerField(widget=forms.HiddenInput,
                                                            required=False)  # fmt: skip
        if row is not None and not self.is_bound:
            self.initial.update({"disability": row.status,
                                 "disability_established_on": row.established_on,
                                 "disability_review_on": row.review_on})  # fmt: skip
        self.initial["disability_seen"] = row.pk if row else 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.with_disability or not data.get("disability"):
            return data
        row = PersonDisability(status=data["disability"],
                               established_on=data.get("disability_established_on"),
                               review_on=data.get("disability_review_on"))  # fmt: skip
        try:
            row.clean()
        except ValidationError as exc:
            fields = {"established_on": "disability_established_on",
                      "review_on": "disability_review_on"}  # fmt: skip
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    self.add_error(fields.get(name), errors)
            else:
                self.add_error(None, exc)
        return data

    @staticmethod
    def disability_data(d: Mapping[str, Any]) -> DisabilityData | None:
        """The status to record from the cleaned data ``d``; None when the form has no such
        field (its cleaned data holds only the fields it has) or it is left empty."""
        if not d.get("disability"):
            return None
        return DisabilityData(status=d["disability"], seen=d.get("disability_seen") or 0,
                              established_on=d.get("disability_established_on"),
                              review_on=d.get("disability_review_on"))  # fmt: skip


class HouseholdForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("Usually the surname of the family."))  # fmt: skip
    territory = forms.ModelChoiceField(label=_("Municipality"), queryset=Territory.objects.none())
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    role = forms.ChoiceField(label=_("Role of the person in the household"),
                             choices=MemberRole.choices, required=False)  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, territories: QuerySet[Territory], with_role: bool,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories  # type: ignore[attr-defined]
        if not with_role:
            del self.fields["role"]


class MemberAddForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role in household"), choices=MemberRole.choices)


class RelationshipForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Who"), coerce=int)
    kind = forms.ChoiceField(label=_("is the"), choices=RelationKind.choices)
    relative_of = forms.TypedChoiceField(label=_("of"), coerce=int)

    def __init__(self, *args: Any, members: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(p.pk, f"{p.full_name} ({p.birth_display})") for p in members]
        self.fields["person"].choices = choices  # type: ignore[attr-defined]
        self.fields["relative_of"].choices = choices  # type: ignore[attr-defined]
        for name in ("person", "kind", "relative_of"):
            self.fields[name].widget.attrs["id"] = f"rel-{name}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person") is not None and data.get("person") == data.get("relative_of"):
            raise ValidationError(_("A person cannot be their own relative."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


MERGE_CHOICES = (
    ("last_name", _("Last name")), ("first_name", _("First name")),
    ("patronymic", _("Patronymic")), ("sex", _("Sex")), ("birth_year", _("Date of birth")),
    ("snils", _("SNILS")), ("birth_certificate", _("Birth certificate")),
    ("citizenship", _("Citizenship")), ("address", _("Address")),
    ("territory_id", _("Municipality")),
)  # fmt: skip


class MergeForm(ReasonForm):
    """One radio per differing field: whose value the surviving record keeps."""

    def __init__(self, *args: Any, kept: Person, merged: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.differing: list[str] = []
        for name, label in MERGE_CHOICES:
            left, right = _shown(kept, name), _shown(merged, name)
            if left == right:
                continue
            self.differing.append(name)
            default = "merged" if not left else "kept"
            self.fields[f"pick_{name}"] = forms.ChoiceField(
                label=label,
                widget=forms.RadioSelect,
                initial=default,
                choices=[("kept", left or _("(empty)")), ("merged", right or _("(empty)"))],
            )
        self.order_fields([f"pick_{n}" for n in self.differing] + ["reason"])

    def choices(self) -> dict[str, str]:
        return {n: self.cleaned_data[f"pick_{n}"] for n in self.differing}


def _shown(person: Person, name: str) -> str:
    if name == "birth_year":
        return person.birth_display
    if name == "territory_id":
        return str(person.territory)
    if name == "sex":
        return str(person.get_sex_display())
    return str(getattr(person, name) or "")


class SchoolingForm(forms.Form):
    """Where a child learns: a school of the region from the list, or one written by name."""

    kind = forms.ChoiceField(label=_("Kind"), choices=SchoolKind.choices,
                             initial=SchoolKind.SCHOOL)  # fmt: skip
    agency = forms.ModelChoiceField(
        label=_("School in Ochag"), queryset=Agency.objects.none(), required=False,
        empty_label=_("Not in the list"),
    )  # fmt: skip
    name = forms.CharField(
        label=_("Name, if not in the list"), max_length=300, required=False,
        help_text=_("For example, «МБОУ СОШ № 3 г. Северогорска»."),
    )  # fmt: skip
    group = forms.CharField(label=_("Class or group"), max_length=40, required=False,
                            help_text=_("For example, 5 «Б»."))  # fmt: skip
    since = RuDateField(label=_("Since"), required=False)

    def __init__(self, *args: Any, schools: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = schools  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("agency") and not (data.get("name") or "").strip():
            self.add_error("name", _("Choose the school from the list or write its name."))
        return data


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need this record now"), max_length=1000,
        help_text=_("The coordinator and the agencies working with the family read this."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip


class DeletionMarkForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the record is to be deleted"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class FormerNameForm(forms.Form):
    """A surname the person bore before, as the agency's document records it."""

    last_name = forms.CharField(label=_("Former last name"), max_length=100,
                                help_text=_("A maiden name, or the surname before adoption or "
                                            "a change."))  # fmt: skip
    changed_on = RuDateField(
        label=_("Changed on"), required=False,
        help_text=_("When the surname changed, if the document says."),
    )  # fmt: skip
