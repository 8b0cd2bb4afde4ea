"""Forms of the support screens. Dates are typed ДД.ММ.ГГГГ."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency
from ochag.cases.models import Task
from ochag.core.forms import RuDateField
from ochag.core.models import Territory
from ochag.support.models import (
    Indicator,
    LegalBasis,
    Outcome,
    Provider,
    ReferralStatus,
    Service,
    ServiceFormat,
    ServiceType,
)
from ochag.support.services.directory import PROVIDER_FIELDS


class ServiceTypeForm(forms.ModelForm):
    class Meta:
        model = ServiceType
        fields = ["code", "name", "plain_name", "order", "is_active"]


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProviderForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Provider
        fields = [*PROVIDER_FIELDS, "municipalities"]
        widgets = {"municipalities": forms.CheckboxSelectMultiple}

    # The municipalities served go right after the provider's own territory.
    field_order = ["name", "kind", "agency", "territory", "municipalities"]

    def __init__(
        self,
        *args: Any,
        territories: QuerySet[Territory],
        agencies: QuerySet[Agency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories  # type: ignore[attr-defined]
        self.fields["municipalities"].queryset = territories.filter(  # type: ignore[attr-defined]
            level=Territory.Level.MUNICIPALITY
        )
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class ServiceForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    indicators = forms.CharField(
        label=_("Indicators of the standard"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: how delivery of the service is checked."),
    )

    class Meta:
        model = Service
        fields = [
            "type",
            "name",
            "description",
            "eligibility",
            "format",
            "capacity",
            "cost_per_family_month",
            "standard_name",
            "standard_criteria",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "standard_criteria": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = ServiceType.objects.filter(is_active=True)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["indicators"].initial = "\n".join(
                i.name for i in self.instance.indicators.all()
            )

    def clean_indicators(self) -> list[str]:
        """The indicators' names, one a line, as the services take them."""
        return [line.strip() for line in self.cleaned_data["indicators"].splitlines()]


class DirectoryForm(forms.Form):
    """The public directory's and the staff directory's filters (GET)."""

    q = forms.CharField(label=_("What help do you need?"), required=False, max_length=100)
    municipality = forms.ModelChoiceField(
        label=_("Where do you live?"),
        queryset=Territory.objects.none(),
        required=False,
        empty_label=_("Anywhere in the region"),
    )
    type = forms.ModelChoiceField(
        label=_("Kind of help"),
        queryset=ServiceType.objects.filter(is_active=True),
        required=False,
        empty_label=_("Any"),
    )
    format = forms.ChoiceField(
        label=_("How it is given"),
        choices=[("", _("Any")), *ServiceFormat.choices],
        required=False,
    )
    free = forms.BooleanField(label=_("Only with free places now"), required=False)

    def __init__(self, *args: Any, municipalities: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), widget=forms.RadioSelect
    )
    task: forms.ModelChoiceField[Task] = forms.ModelChoiceField(
        label=_("Plan task this referral fulfils"),
        queryset=None,  # the case's tasks the user may see: set by __init__
        required=False,
    )
    summary = forms.CharField(
        label=_("What the provider needs to know"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only what the service needs. The provider sees nothing else of the case."),
    )
    health_note = forms.CharField(
        label=_("Health details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shared only if the family agreed to share health details."),
    )
    basis = forms.ChoiceField(
        label=_("Basis of the referral"), choices=LegalBasis.choices, initial=LegalBasis.CONSENT
    )
    given_by = forms.CharField(
        label=_("Consent given by (full name of the parent)"), required=False, max_length=300
    )
    given_on = RuDateField(label=_("Date of consent or of the act"))
    scope = forms.CharField(
        label=_("What the family agreed to (scope of the consent)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    shares_health = forms.BooleanField(
        label=_("The family agreed to share health details with the provider"), required=False
    )
    waiting_list_ok = forms.BooleanField(
        label=_("Send to the waiting list if there is no free place"), required=False
    )

    def __init__(
        self,
        *args: Any,
        services: QuerySet[Service],
        tasks: QuerySet[Task] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["service"].label_from_instance = _service_label  # type: ignore[attr-defined]
        if tasks is None:  # a referral from a signal: no plan yet
            del self.fields["task"]
        else:
            self.fields["task"].queryset = tasks  # type: ignore[attr-defined]


def _service_label(service: Service) -> str:
    places = getattr(service, "free", None)
    waiting = getattr(service, "waiting", 0)
    return str(
        _("%(type)s — %(name)s, %(provider)s: free places %(free)s, waiting %(waiting)s")
        % {
            "type": service.type,
            "name": service.name,
            "provider": service.provider,
            "free": places,
            "waiting": waiting,
        }
    )


ANSWER_CHOICES = [
    (ReferralStatus.ACCEPTED, _("Accept")),
    (ReferralStatus.WAITING, _("Put on the waiting list")),
    (ReferralStatus.DECLINED, _("Decline")),
    (ReferralStatus.IN_PROGRESS, _("Service has started")),
    (ReferralStatus.COMPLETED, _("Complete")),
]


class AnswerForm(VersionedForm):
    status = forms.ChoiceField(label=_("Answer"), widget=forms.RadioSelect)
    start_date = RuDateField(label=_("Start date (when accepting)"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome (when completing)"),
        choices=[("", "—"), *Outcome.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason for declining or note on the outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, allowed: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in ANSWER_CHOICES if c[0] in allowed]  # type: ignore[attr-defined]


class WithdrawForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why the referral is withdrawn"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DeliveryForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    date = RuDateField(label=_("Date"))
    met = forms.BooleanField(label=_("The indicator is met"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = service.indicators.all()  # type: ignore[attr-defined]


class FamilyLinkForm(forms.Form):
    days = forms.IntegerField(label=_("Valid for, days"), min_value=1, max_value=365, initial=30)
    phone = forms.CharField(
        label=_("Send the code by SMS to"),
        required=False,
        max_length=20,
        help_text=_("Leave empty to print the slip only. For example, +7 912 345-67-89"),
    )


class FamilyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your slip"),
        max_length=40,
        help_text=_("For example, K7M2-PX4Q-9TRD"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class TaskNeedForm(VersionedForm):
    need = forms.ModelChoiceField(
        label=_("Service the task needs"),
        queryset=ServiceType.objects.filter(is_active=True),
        required=False,
        help_text=_("Counted in the coverage table; the referral form offers this kind first."),
    )
    shown_to_family = forms.BooleanField(
        label=_("Show this task on the family's page"), required=False
    )
    family_text = forms.CharField(
        label=_("The task in plain words for the family"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "What the parents will read, e.g. «Take Misha to the speech therapist every "
            "Tuesday». No diagnoses, no other people's names."
        ),
    )
