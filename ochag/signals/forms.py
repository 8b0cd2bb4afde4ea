"""Forms of every signal channel and of the queue actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency, User
from ochag.core.forms import RuDateField
from ochag.core.models import Territory
from ochag.signals.models import Basis, Indicator, RoutingRule


class PastDateField(RuDateField):
    """ДД.ММ.ГГГГ typed by hand, never in the future (an observation is reported after it)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value > dt.date.today():
            raise forms.ValidationError(_("The date cannot be in the future."))


def municipalities(region: Territory | None) -> QuerySet[Territory]:
    if region is None:
        return Territory.objects.none()
    return Territory.objects.filter(
        path__startswith=region.path, level=Territory.Level.MUNICIPALITY
    )


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        marker = " (Б)" if obj.poverty else ""
        return f"{obj}{marker}"


def _indicator_field(required: bool = True) -> IndicatorChoiceField:
    return IndicatorChoiceField(
        queryset=Indicator.objects.all(),
        to_field_name="code",
        required=required,
        widget=forms.CheckboxSelectMultiple,
        label=_("What was observed"),
        help_text=_(
            "Tick everything that applies. (Б) marks poverty-type needs: they lead to help, "
            "never to removal."
        ),
        error_messages={"required": _("Choose at least one indicator.")},
    )


# Staff form, one step per page ----------------------------------------------------------


class SourceStep(forms.Form):
    basis = forms.ChoiceField(
        label=_("Legal basis for passing it on"),
        choices=[
            (Basis.DUTY_ART9, Basis.DUTY_ART9.label),
            (Basis.CONSENT, Basis.CONSENT.label),
            (Basis.COURT_ACT, Basis.COURT_ACT.label),
            (Basis.KDN_REQUEST, Basis.KDN_REQUEST.label),
        ],
    )
    observed_on = PastDateField(label=_("When it was observed"))
    territory = forms.ModelChoiceField(
        empty_label=_("Choose…"),
        queryset=Territory.objects.none(),
        label=_("Municipality"),
        error_messages={"required": _("Choose the municipality.")},
    )

    def __init__(self, *args: Any, region: Territory | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = municipalities(region)  # type: ignore[attr-defined]


class PersonFields(forms.Form):
    last_name = forms.CharField(label=_("Surname"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(
        label=_("Patronymic"),
        max_length=100,
        required=False,
        help_text=_("Leave empty if there is none."),
    )
    birth_date = PastDateField(label=_("Date of birth"), required=False)


class ChildStep(PersonFields):
    pass


class ParentStep(forms.Form):
    parent_last_name = forms.CharField(label=_("Parent's surname"), max_length=100, required=False)
    parent_first_name = forms.CharField(
        label=_("Parent's first name"), max_length=100, required=False
    )
    parent_patronymic = forms.CharField(
        label=_("Parent's patronymic"), max_length=100, required=False
    )
    parent_birth_date = PastDateField(label=_("Parent's date of birth"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("parent_last_name")) != bool(data.get("parent_first_name")):
            self.add_error(
                "parent_first_name" if data.get("parent_last_name") else "parent_last_name",
                _("Give both the surname and the first name, or neither."),
            )
        return data


class IndicatorStep(forms.Form):
    indicators = _indicator_field()


class DescriptionStep(forms.Form):
    original_text = forms.CharField(
        label=_("What happened, in the reporter's words"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe what happened.")},
    )


STEP_FORMS: list[type[forms.Form]] = [
    SourceStep,
    ChildStep,
    ParentStep,
    IndicatorStep,
    DescriptionStep,
]
STEP_TITLES = [_("source"), _("child"), _("parents and address"), _("indicators"), _("description")]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class AttachmentsForm(forms.Form):
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(
            attrs={"multiple": True, "accept": ".pdf,.jpg,.jpeg,.png,.docx,.txt"}
        ),
        help_text=_("PDF, JPEG, PNG, DOCX or TXT, up to 10 MB each."),
    )


# Helpline -------------------------------------------------------------------------------


class HelplineForm(forms.Form):
    territory = forms.ModelChoiceField(
        empty_label=_("Choose…"),
        queryset=Territory.objects.none(),
        label=_("Municipality (approximate)"),
        error_messages={"required": _("Choose the municipality.")},
    )
    location = forms.CharField(
        label=_("Where, in the caller's words"),
        max_length=300,
        required=False,
        help_text=_("Never record who is calling."),
    )
    child_first_name = forms.CharField(
        label=_("Child's first name, if said"), max_length=100, required=False
    )
    child_age = forms.IntegerField(
        label=_("Child's approximate age"), min_value=0, max_value=17, required=False
    )
    indicators = _indicator_field()
    original_text = forms.CharField(
        label=_("What the caller said"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write down what the caller said.")},
    )

    def __init__(self, *args: Any, region: Territory | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = municipalities(region)  # type: ignore[attr-defined]


# Public form ----------------------------------------------------------------------------


class PublicForm(forms.Form):
    territory = forms.ModelChoiceField(
        empty_label=_("Choose…"),
        queryset=Territory.objects.none(),
        label=_("Town or district"),
        error_messages={"required": _("Choose the town or district.")},
    )
    address = forms.CharField(label=_("Address or place"), max_length=300, required=False)
    child_name = forms.CharField(
        label=_("Child's name, if you know it"), max_length=200, required=False
    )
    indicators = _indicator_field()
    original_text = forms.CharField(
        label=_("What worries you"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Tell us what worries you.")},
    )
    reporter_name = forms.CharField(
        label=_("Your name"), max_length=200, required=False, help_text=_("You may stay anonymous.")
    )
    reporter_contact = forms.CharField(
        label=_("Phone or e-mail to contact you"), max_length=200, required=False
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, region: Territory | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = municipalities(region)  # type: ignore[attr-defined]


# Queue actions --------------------------------------------------------------------------


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        empty_label=_("Choose…"),
        queryset=User.objects.none(),
        label=_("Assign to"),
        error_messages={"required": _("Choose a colleague.")},
    )

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(agency=agency, is_active=True) if agency else User.objects.none()
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason.")},
    )


class ForwardForm(ReasonForm):
    agency = forms.ModelChoiceField(
        empty_label=_("Choose…"),
        queryset=Agency.objects.none(),
        label=_("Forward to"),
        error_messages={"required": _("Choose the agency.")},
    )
    field_order = ["agency", "reason"]

    def __init__(self, *args: Any, agencies: QuerySet[Agency] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class RoutingRuleForm(forms.ModelForm[RoutingRule]):
    class Meta:
        model = RoutingRule
        fields = ["track", "territory", "agency_type", "agency"]

    def __init__(
        self, *args: Any, region: Territory, agencies: QuerySet[Agency], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.region = region
        self.fields["territory"].queryset = municipalities(region)  # type: ignore[attr-defined]
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: Фамилия, Имя, Отчество, Дата рождения (ДД.ММ.ГГГГ), Муниципалитет, Адрес, "
            "Показатели (codes or exact names; several separated by | or on separate lines of the "
            "cell), Описание. Encoding UTF-8 or Windows-1251; separator ; , or tab."
        ),
        error_messages={"required": _("Choose a file.")},
    )
