"""Forms of the КДН sitting: planning it, attendance, the agenda and the decision with its
numbered points."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency
from ochag.cases.models import (
    Case,
    ClosureGround,
    Commission,
    CommissionMember,
    Resolution,
    SittingInvitee,
)
from ochag.cases.services.kdn import PointData
from ochag.core.forms import RuDateField, text_area

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
        widget=text_area(3),
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
        label=_("Other matters on the agenda"), widget=text_area(3), required=False
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
        widget=text_area(6),
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
                widget=text_area(2),
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
