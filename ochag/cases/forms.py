"""Forms of the case screens. Dates are typed as ДД.ММ.ГГГГ (ISO also accepted)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency, User
from ochag.cases import scoring
from ochag.cases.models import (
    Case,
    ClosureGround,
    Commission,
    CommissionMember,
    CommissionRole,
    DayKind,
    Level,
    Resolution,
    SittingInvitee,
    TaskStatus,
)
from ochag.cases.services.kdn import PointData
from ochag.core.forms import RuDateField, SearchFormMixin
from ochag.registry.models import Person


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class HouseholdSearchForm(SearchFormMixin, forms.Form):
    q = forms.CharField(label=_("Family name or address"), max_length=100, required=False)


class CaseOpenForm(forms.Form):
    curator = forms.ModelChoiceField(label=_("Curator"), queryset=User.objects.none())
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        required=False,
        help_text=_("The family's application, a court act or a KDN resolution (120-FZ Art. 6)."),
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies taking part"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The curator's agency and yours take part anyway."),
    )

    def __init__(
        self, *args: Any, curators: QuerySet[User], agencies: QuerySet[Agency], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["curator"].queryset = curators  # type: ignore[attr-defined]
        self.fields["agencies"].queryset = agencies  # type: ignore[attr-defined]


class SafetyForm(forms.Form):
    criteria = forms.MultipleChoiceField(
        label=_("Criteria met"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(c.code, _(c.label)) for c in scoring.SAFETY_CRITERIA],
    )
    immediate_threat = forms.TypedChoiceField(
        label=_("Is there an immediate threat to the child's life or health?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    reason = forms.CharField(
        label=_("Reasoning"),
        widget=_text(),
        help_text=_("What you saw and why it does or does not amount to a threat."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("immediate_threat") and not data.get("criteria"):
            self.add_error("criteria", _("Mark the criteria the threat rests on."))
        return data


class RemovalForm(forms.Form):
    children = forms.ModelMultipleChoiceField(
        label=_("Children removed"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    act_number = forms.CharField(label=_("Guardianship act number"), max_length=60)
    act_date = RuDateField(label=_("Date of the act"))
    prosecutor_notified_on = RuDateField(label=_("Prosecutor notified on"))
    placement = forms.CharField(label=_("Temporary placement"), max_length=300)
    reason = forms.CharField(
        label=_("Reason for removal"),
        widget=_text(),
        help_text=_("Why help in the family could not remove the threat."),
    )
    poverty_justification = forms.CharField(
        label=_("Justification despite poverty-type grounds"),
        widget=_text(),
        required=False,
        help_text=_(
            "Required when the threat rests only on poverty-type grounds; the removal "
            "then goes to the justification panel."
        ),
    )

    def __init__(
        self, *args: Any, children: QuerySet[Person], poverty_only: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = children  # type: ignore[attr-defined]
        self.poverty_only = poverty_only
        self.fields["poverty_justification"].required = poverty_only

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        act, told = data.get("act_date"), data.get("prosecutor_notified_on")
        if act and told and told < act:
            self.add_error(
                "prosecutor_notified_on", _("The prosecutor cannot be notified before the act.")
            )
        return data


ANSWER_CHOICES = [(k, _(v)) for k, v in scoring.ANSWER_LABELS.items()]


class RiskForm(forms.Form):
    """One field per indicator (named ``ind_<code>``), then strengths and the decision."""

    strengths = forms.MultipleChoiceField(
        label=_("Strengths of the family"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(s.code, _(s.label)) for s in scoring.STRENGTHS],
    )
    strengths_note = forms.CharField(label=_("Other strengths"), required=False, widget=_text(2))
    # Validated as optional so the score can be previewed first; saving requires it.
    level = forms.ChoiceField(
        label=_("Level decided by the specialist"),
        choices=[("", "—"), *Level.choices],
        required=False,
        help_text=_("The score only proposes a level. Departing from it needs a reason."),
    )
    override_reason = forms.CharField(
        label=_("Reason for departing from the proposal"), required=False, widget=_text(3)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in scoring.INDICATORS:
            label = gettext(indicator.label)
            if indicator.poverty:
                label = f"{label} ({gettext('poverty-type')})"
            # No initial answer: an untouched form must not read as "no risk". Optional
            # here so the score can be previewed; finishing requires every answer.
            self.fields[f"ind_{indicator.code}"] = forms.ChoiceField(
                label=label,
                choices=ANSWER_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "radios--inline"}),
            )

    def domains(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (
                gettext(label),
                [self[f"ind_{i.code}"] for i in scoring.INDICATORS if i.domain == domain],
            )
            for domain, label in scoring.DOMAIN_LABELS.items()
        ]

    def answers(self) -> dict[str, str]:
        """The indicators answered so far; an unanswered one is left out, never taken as no."""
        answered = {i.code: self.cleaned_data.get(f"ind_{i.code}") for i in scoring.INDICATORS}
        return {code: answer for code, answer in answered.items() if answer}

    def require_every_answer(self) -> bool:
        """Mark each unanswered indicator; True when none is left."""
        missing = self.result().unanswered
        for code in missing:
            self.add_error(
                f"ind_{code}",
                gettext("Answer this indicator: yes, partly, no or not known."),
            )
        return not missing

    def result(self) -> scoring.ScoreResult:
        return scoring.score(self.answers(), self.cleaned_data.get("strengths") or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        level = data.get("level")
        if (
            level
            and level != self.result().proposed_level
            and not data.get("override_reason", "").strip()
        ):
            self.add_error("override_reason", _("Say why you depart from the proposed level."))
        return data


class SessionForm(forms.Form):
    date = RuDateField(label=_("Session date"))
    resolution_number = forms.CharField(label=_("Resolution number"), max_length=40)
    agenda = forms.CharField(label=_("Agenda"), widget=_text(3))
    # A blank first choice: a resolution is chosen, never taken from the list's first line.
    resolution = forms.ChoiceField(label=_("Resolution"), choices=[("", "—"), *Resolution.choices])
    resolution_text = forms.CharField(label=_("Text of the resolution"), widget=_text(8))
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


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    goals = forms.CharField(label=_("Goals of the plan"), widget=_text(5), required=False)
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
    description = forms.CharField(label=_("Description"), widget=_text(3), required=False)
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
        label=_("Why it is not complete"), widget=_text(3), required=False
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=_text(3),
        required=False,
        help_text=_("What was done: documents, visits, dates."),
    )
    notes = forms.CharField(label=_("Notes"), widget=_text(3), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status") == TaskStatus.NOT_COMPLETE
            and not data.get("status_reason", "").strip()
        ):
            self.add_error("status_reason", _("Say why the task is not complete."))
        return data


class MonitoringForm(forms.Form):
    period_end = RuDateField(label=_("Reporting period ends"))
    summary = forms.CharField(label=_("Progress and current situation"), widget=_text(6))
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
    text = forms.CharField(label=_("Note"), widget=_text(4))
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
    note = forms.CharField(label=_("Comment"), widget=_text(3), required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why the case is re-opened"), widget=_text(3))


# The КДН sitting ------------------------------------------------------------------------

POINT_ROWS = 5
ATTENDED_CHOICES = [("yes", _("Came")), ("no", _("Did not come")), ("", _("Not known yet"))]


class SittingForm(forms.Form):
    commission = forms.ModelChoiceField(label=_("Commission"), queryset=Commission.objects.none())
    number = forms.CharField(label=_("Protocol number"), max_length=40)
    date = RuDateField(label=_("Date of the sitting"))
    time = forms.TimeField(label=_("Time"), required=False, help_text=_("For example, 14:30"))
    place = forms.CharField(label=_("Place"), max_length=300)
    other_matters = forms.CharField(
        label=_("Other matters on the agenda"),
        widget=_text(3),
        required=False,
        help_text=_("One per line: matters other than the families' cases."),
    )

    def __init__(self, *args: Any, commissions: QuerySet[Commission], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = commissions  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Members present"),
        queryset=CommissionMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    chair = forms.ModelChoiceField(label=_("Presiding"), queryset=CommissionMember.objects.none())
    secretary = forms.ModelChoiceField(
        label=_("Secretary of the sitting"), queryset=CommissionMember.objects.none()
    )
    other_matters = forms.CharField(
        label=_("Other matters on the agenda"), widget=_text(3), required=False
    )

    def __init__(self, *args: Any, members: QuerySet[CommissionMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("present", "chair", "secretary"):
            self.fields[name].queryset = members  # type: ignore[attr-defined]


class AgendaCaseForm(forms.Form):
    case = forms.ModelChoiceField(
        label=_("Case"),
        queryset=Case.objects.none(),
        help_text=_("The family's parents and guardians are invited to the sitting."),
    )

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]
        self.fields["case"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.number} — {c.household}"
        )


class DecisionForm(forms.Form):
    """Whether the invited came, what the commission established, its decision and the
    numbered points with responsible agencies and terms."""

    established = forms.CharField(
        label=_("The commission established"),
        widget=_text(6),
        help_text=_("The facts of the case as the resolution states them («УСТАНОВИЛА»)."),
    )
    resolution = forms.ChoiceField(label=_("Decision"), choices=[("", "—"), *Resolution.choices])
    closure_ground = forms.ChoiceField(
        label=_("Ground for closure"),
        required=False,
        choices=[("", "—"), *ClosureGround.choices],
        help_text=_("Only when the resolution closes the case."),
    )

    def __init__(
        self,
        *args: Any,
        invitees: list[SittingInvitee],
        agencies: QuerySet[Agency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.invitees = invitees
        for invitee in invitees:
            self.fields[f"attended_{invitee.pk}"] = forms.ChoiceField(
                label=gettext("Did %(name)s come?") % {"name": invitee.full_name},
                choices=ATTENDED_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
        for n in range(1, POINT_ROWS + 1):
            self.fields[f"point_{n}"] = forms.CharField(
                label=gettext("Point %(n)s") % {"n": n},
                widget=_text(2),
                required=n == 1,
            )
            self.fields[f"point_{n}_agency"] = forms.ModelChoiceField(
                label=gettext("Responsible agency, point %(n)s") % {"n": n},
                queryset=agencies,
                required=False,
            )
            self.fields[f"point_{n}_term"] = RuDateField(
                label=gettext("Term, point %(n)s") % {"n": n}, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("resolution") == Resolution.CLOSE and not data.get("closure_ground"):
            self.add_error("closure_ground", _("Choose the ground for closing the case."))
        for n in range(1, POINT_ROWS + 1):
            if not data.get(f"point_{n}") and (
                data.get(f"point_{n}_agency") or data.get(f"point_{n}_term")
            ):
                self.add_error(f"point_{n}", _("Write the point its agency and term belong to."))
        return data


def points_of(data: dict[str, Any]) -> list[PointData]:
    """The filled points of a valid DecisionForm, in order."""
    return [
        PointData(data[f"point_{n}"], data[f"point_{n}_agency"], data[f"point_{n}_term"])
        for n in range(1, POINT_ROWS + 1)
        if data.get(f"point_{n}")
    ]


def attendance_of(data: dict[str, Any], invitees: list[SittingInvitee]) -> dict[int, bool | None]:
    """Whether each invited person came: True, False, or None when not known yet."""
    answers = {"yes": True, "no": False}
    return {i.pk: answers.get(data.get(f"attended_{i.pk}") or "") for i in invitees}


class CommissionForm(forms.Form):
    """A КДН's details as its resolutions print them."""

    full_name = forms.CharField(
        label=capfirst(_("Full name of the commission")),
        max_length=400,
        help_text=_(
            "As in the regulation, e.g. «Комиссия по делам несовершеннолетних и "
            "защите их прав администрации Северогорского муниципального округа»."
        ),
    )
    municipality_name = forms.CharField(
        label=capfirst(_("Municipality as written in resolutions")), max_length=300
    )
    address = forms.CharField(
        label=capfirst(_("Usual place of sittings")), max_length=300, required=False
    )
    regional_law = forms.CharField(
        label=capfirst(_("Regional law on commissions")),
        max_length=400,
        help_text=_("As it is cited after the federal law, e.g. «Законом области от … № …»."),
    )
    appeal_text = forms.CharField(
        label=capfirst(_("Right and term of appeal")), widget=_text(3), required=False
    )


class CommissionMemberForm(forms.Form):
    full_name = forms.CharField(label=capfirst(_("Full name")), max_length=200)
    position = forms.CharField(
        label=capfirst(_("Position")),
        max_length=300,
        required=False,
        help_text=_("For example, «заместитель главы администрации округа»."),
    )
    role = forms.ChoiceField(
        label=capfirst(_("Role in the commission")),
        choices=CommissionRole.choices,
        initial=CommissionRole.MEMBER,
    )
