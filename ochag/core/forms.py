"""Forms of the core screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ochag.core.models import audit_action_choices


class AuditSearchForm(forms.Form):
    q = forms.CharField(label=_("Actor, object or request id"), required=False, max_length=200)
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All")), *audit_action_choices()]  # type: ignore[attr-defined]


class CalendarOverrideForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        help_text=_("For example, 21.04.2026"),
    )
    is_working = forms.TypedChoiceField(
        label=_("The day is"),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        choices=[("0", _("a day off")), ("1", _("a working day"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("For example, the regional law that declares the day off."),
    )
