"""Forms of the КДН's own details and members."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ochag.cases.models import CommissionRole
from ochag.core.forms import text_area


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
        label=capfirst(_("Right and term of appeal")), widget=text_area(3), required=False
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
