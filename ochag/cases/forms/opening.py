"""Forms of opening a case: finding the household, the curator and the agencies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency, User
from ochag.core.forms import SearchFormMixin


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
