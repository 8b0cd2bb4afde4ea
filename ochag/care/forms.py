"""Forms of the care screens. Dates are typed ДД.ММ.ГГГГ (core's RuDateField)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency, User
from ochag.care.models import (
    CareSettings,
    ContactKind,
    Decision,
    Ground,
    IncidentKind,
    Institution,
    InstitutionType,
    LegalStatus,
    MemberRole,
    Outcome,
    ReturnAction,
)
from ochag.care.services import institutions
from ochag.core.forms import RuDateField
from ochag.core.models import Territory
from ochag.registry.models import Household, Person


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = list(institutions.FIELDS)

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
    owner_agency = forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.none()
    )
    owner = forms.CharField(label=_("Responsible person"), max_length=200)
    due_on = RuDateField(label=_("Due"))

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies  # type: ignore[attr-defined]


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


class PersonChoiceField(forms.ModelChoiceField):
    """A registry person typed by their number in the registry (shown on the person card)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class AdmitForm(forms.Form):
    child = PersonChoiceField(
        label=_("Child's number in the registry"),
        queryset=None,  # the registry's persons the user may see: set by __init__
        error_messages={"invalid_choice": _("No child with this number is shown to you.")},
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )
    admitted_on = RuDateField(label=_("Admitted on"))
    ground = forms.ChoiceField(label=_("Ground"), choices=Ground.choices)
    act_number = forms.CharField(label=_("Placing body's act, number"), max_length=60)
    act_date = RuDateField(label=_("Date of the act"))
    family_territory = forms.ModelChoiceField(
        label=_("Family's municipality"), queryset=Territory.objects.none()
    )
    legal_status = forms.ChoiceField(label=_("Family-legal status"), choices=LegalStatus.choices)
    household: forms.ModelChoiceField[Household] = forms.ModelChoiceField(
        label=_("Birth family (household number in the registry)"),
        queryset=None,  # the registry's households the user may see: set by __init__
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    term_until = RuDateField(label=_("Agreed term of stay"), required=False)

    def __init__(
        self,
        *args: Any,
        persons: QuerySet[Person],
        households: QuerySet[Household],
        institutions: QuerySet[Institution],
        territories: QuerySet[Territory],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = persons  # type: ignore[attr-defined]
        self.fields["household"].queryset = households  # type: ignore[attr-defined]
        self.fields["institution"].queryset = institutions.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["family_territory"].queryset = territories.filter(  # type: ignore[attr-defined]
            level=Territory.Level.MUNICIPALITY
        )


class OverseerForm(forms.Form):
    overseer = forms.ModelChoiceField(label=_("Overseer"), queryset=User.objects.none())

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["overseer"].queryset = staff  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    on = RuDateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    who = forms.CharField(label=_("Who"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PlanForm(forms.Form):
    goal = forms.CharField(label=_("Goal of the plan"), widget=forms.Textarea(attrs={"rows": 3}))
    barriers = forms.CharField(
        label=_("What stands in the way of going home"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class DischargeForm(forms.Form):
    discharged_on = RuDateField(label=_("Discharged on"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)


class StaffChoiceField(forms.ModelChoiceField):
    """A user shown with their agency (people of the same name are told apart)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} — {obj.agency}"


class CommissionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    legal_source = forms.CharField(label=_("Act that set it up"), max_length=300, required=False)


class MemberForm(forms.Form):
    user = StaffChoiceField(label=_("Member"), queryset=User.objects.none())
    role = forms.ChoiceField(
        label=_("Role in the commission"), choices=MemberRole.choices, initial=MemberRole.MEMBER
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff  # type: ignore[attr-defined]


class SittingForm(forms.Form):
    date = RuDateField(label=_("Date of the sitting"))
    place = forms.CharField(label=_("Place"), max_length=300)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    justified_until = RuDateField(label=_("Justified until"), required=False)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))
    action = forms.ChoiceField(label=_("Measure to take"), choices=ReturnAction.choices)


class CareSettingsForm(forms.ModelForm):
    """The region's thresholds and deadlines, with the cost table by institution type."""

    class Meta:
        model = CareSettings
        fields = [
            "remote_km",
            "remote_minutes",
            "visit_period_days",
            "admission_review_days",
            "extension_notice_days",
            "family_support_month_cost",
            "legal_source",
        ]

    def __init__(self, *args: Any, costs: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in InstitutionType.choices:
            self.fields[f"cost_{code}"] = forms.DecimalField(
                label=_("Cost per child-month, roubles: %(type)s") % {"type": label},
                min_value=0,
                max_digits=10,
                decimal_places=2,
                required=False,
                initial=costs.get(code),
            )

    def costs(self) -> dict[str, Any]:
        return {
            code: self.cleaned_data[f"cost_{code}"]
            for code, _label in InstitutionType.choices
            if self.cleaned_data.get(f"cost_{code}") is not None
        }

    def settings_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
