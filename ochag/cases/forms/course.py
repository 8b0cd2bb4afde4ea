"""Forms of a case's course: monitoring reports, notes, curator, participants, closing
and re-opening."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency, User
from ochag.cases.models import ClosureGround
from ochag.core.forms import RuDateField, text_area


class MonitoringForm(forms.Form):
    period_end = RuDateField(label=_("Reporting period ends"))
    summary = forms.CharField(label=_("Progress and current situation"), widget=text_area(6))
    next_review = RuDateField(
        label=_("Next review"),
        required=False,
        help_text=_("Leave empty to follow the regional cadence."),
    )
    reassessment_needed = forms.BooleanField(label=_("Re-assessment needed"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end, review = data.get("period_end"), data.get("next_review")
        if end and review and review <= end:
            self.add_error(
                "next_review", _("The next review must come after the reporting period.")
            )
        return data


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=text_area(4))
    is_medical = forms.BooleanField(
        label=_("Medical secret: show only to health staff and the curator"), required=False
    )


class CuratorForm(forms.Form):
    curator = forms.ModelChoiceField(label=_("Curator"), queryset=User.objects.none())

    def __init__(self, *args: Any, curators: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["curator"].queryset = curators  # type: ignore[attr-defined]


class ParticipantForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground for closure"), choices=ClosureGround.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Comment"), widget=text_area(3), required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why the case is re-opened"), widget=text_area(3))
