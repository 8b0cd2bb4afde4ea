"""The form of a КДН session recorded on a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ochag.cases.models import ClosureGround, Resolution
from ochag.core.forms import RuDateField, text_area


class SessionForm(forms.Form):
    date = RuDateField(label=_("Session date"))
    resolution_number = forms.CharField(label=_("Resolution number"), max_length=40)
    agenda = forms.CharField(label=_("Agenda"), widget=text_area(3))
    # A blank first choice: a resolution is chosen, never taken from the list's first line.
    resolution = forms.ChoiceField(label=_("Resolution"), choices=[("", "—"), *Resolution.choices])
    resolution_text = forms.CharField(label=_("Text of the resolution"), widget=text_area(8))
    closure_ground = forms.ChoiceField(
        label=_("Ground for closure"),
        required=False,
        choices=[("", "—"), *ClosureGround.choices],
        help_text=_("Only when the resolution closes the case."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("resolution") == Resolution.CLOSE and not data.get("closure_ground"):
            self.add_error("closure_ground", _("Choose the ground for closing the case."))
        return data
