"""Forms of the core screens (the calendar's, shown by access)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
