"""Forms of the core screens (the calendar's, shown by access), and the date field every
app's forms use."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's refusal on the form's fields (or above it), keeping what was typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class SearchFormMixin:
    """A search form: its box is never marked «(необязательно)» (components/field.html), since
    leaving it empty is simply not searching."""

    is_search = True


def text_area(rows: int = 4) -> forms.Textarea:
    """A text box of ``rows`` lines."""
    return forms.Textarea(attrs={"rows": rows})


DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


class RuDateField(forms.DateField):
    """A date typed as ДД.ММ.ГГГГ in a text box (a browser's date picker would show its own
    locale's format, e.g. mm/dd/yyyy); ISO dates are accepted too."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d.%m.%Y",
                attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "ДД.ММ.ГГГГ"},
            ),
        )
        kwargs.setdefault("help_text", _("For example, 05.03.2026"))
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter a date as DD.MM.YYYY, e.g. 05.03.2016.")}
        )
        super().__init__(**kwargs)


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
