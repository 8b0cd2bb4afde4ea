"""Forms of the interagency plan and its tasks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency
from ochag.cases.models import DayKind, TaskStatus
from ochag.core.forms import RuDateField, text_area


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    goals = forms.CharField(label=_("Goals of the plan"), widget=text_area(5), required=False)
    period_start = RuDateField(label=_("Plan period from"), required=False)
    period_end = RuDateField(label=_("Plan period to"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The plan period ends before it starts."))
        return data


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=text_area(3), required=False)
    owner_agency = forms.ModelChoiceField(
        label=_("Agency responsible"), queryset=Agency.objects.none()
    )
    start_date = RuDateField(label=_("Start"))
    deadline_days = forms.IntegerField(label=_("Days to complete"), min_value=0, max_value=366)
    deadline_kind = forms.ChoiceField(
        label=_("Counted in"), choices=DayKind.choices, initial=DayKind.WORKING
    )
    legal_source = forms.CharField(
        label=_("Legal source of the deadline"), max_length=200, required=False
    )
    is_medical = forms.BooleanField(
        label=_("Medical secret: show only to health staff and the curator"), required=False
    )
    shared = forms.BooleanField(
        label=_(
            "Share with every agency taking part (otherwise only the owning agency and "
            "those who run the case see it)"
        ),
        required=False,
    )
    is_legal = forms.BooleanField(
        label=_("Legal step of guardianship or the KDN (removal, court claim): never shared"),
        required=False,
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies  # type: ignore[attr-defined]


class TaskShareForm(forms.Form):
    """Share a task after it was created: bring an agency into the case if needed."""

    agency = forms.ModelChoiceField(
        label=_("Agency to bring into the case"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("None: share with the agencies already taking part"),
        help_text=_("Chosen agency takes part in the case from now on and sees shared tasks."),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class TaskUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"), choices=TaskStatus.choices, widget=forms.RadioSelect
    )
    status_reason = forms.CharField(
        label=_("Why it is not complete"), widget=text_area(3), required=False
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=text_area(3),
        required=False,
        help_text=_("What was done: documents, visits, dates."),
    )
    notes = forms.CharField(label=_("Notes"), widget=text_area(3), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status") == TaskStatus.NOT_COMPLETE
            and not data.get("status_reason", "").strip()
        ):
            self.add_error("status_reason", _("Say why the task is not complete."))
        return data
