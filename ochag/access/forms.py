"""Forms for signing in, for managing agencies and staff accounts, and the audit search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency, Role, User
from ochag.access.services import AGENCY_FIELDS, USER_FIELDS
from ochag.core.forms import RuDateField, SearchFormMixin
from ochag.core.models import Territory, audit_action_choices


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Login"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Six digits; spaces are ignored."),
    )


class AgencyForm(forms.ModelForm[Agency]):
    class Meta:
        model = Agency
        fields = list(AGENCY_FIELDS)

    def __init__(self, *args: Any, territories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories  # type: ignore[attr-defined]


class UserForm(forms.ModelForm[User]):
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = list(USER_FIELDS)

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["agency"].required = True
        self.fields["role"].choices = Role.choices  # type: ignore[attr-defined]
        self.fields["last_name"].required = True
        self.fields["first_name"].required = True
        if self.instance.pk is None:
            self.fields["password"].required = True
            self.fields["password"].help_text = _("At least 10 characters.")

    def clean_password(self) -> str:
        password: str = self.cleaned_data.get("password", "")
        if password:
            password_validation.validate_password(password, self.instance)
        return password


def region_territories(region: Territory | None) -> Any:
    if region is None:
        return Territory.objects.none()
    return Territory.objects.filter(path__startswith=region.path)


class AuditSearchForm(SearchFormMixin, forms.Form):
    q = forms.CharField(label=_("Actor, object or request id"), required=False, max_length=200)
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = RuDateField(label=_("From"), required=False, help_text="")
    date_to = RuDateField(label=_("To"), required=False, help_text="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All")), *audit_action_choices()]  # type: ignore[attr-defined]
