"""Opening a case: find the family, or start from a signal about it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access.models import Role, User
from ochag.access.requests import user_of
from ochag.cases import policies, selectors, services
from ochag.cases.forms import opening as case_forms
from ochag.cases.models import (
    CaseStatus,
)
from ochag.core.form_views import submit
from ochag.registry import policies as registry_policies
from ochag.registry.models import Household, MemberRole
from ochag.signals import policies as signal_policies
from ochag.signals.models import Signal


def case_open_search(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    policies.cases.require_create(user)
    form = case_forms.HouseholdSearchForm(request.GET or None)
    results: list[Household] = []
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        results = selectors.households_to_open(user, q)
    return render(
        request,
        "cases/open_search.html",
        {"form": form, "results": results, "searched": form.is_bound},
    )


def _signal(request: HttpRequest, user: User) -> Signal | None:
    """The source signal named in the request, only if the user may see it."""
    raw = request.GET.get("signal") or request.POST.get("signal") or ""
    if not raw:
        return None
    return signal_policies.signals.get_visible(user, pk=raw)


def case_from_signal(request: HttpRequest, signal_pk: int) -> HttpResponse:
    """Open a case from a signal about a family (the entry point from a signal's page)."""
    user = user_of(request)
    signal = signal_policies.signals.get_visible(user, pk=signal_pk)
    policies.cases.require_create(user)
    if signal.household_id is None:
        messages.warning(
            request, _("Link the signal to a family first; a case is opened on a family.")
        )
        return redirect("signals:detail", signal.pk)
    existing = (
        policies.cases.visible(user)
        .filter(household_id=signal.household_id, status=CaseStatus.OPEN)
        .first()
    )
    if existing is not None:
        messages.info(request, _("This family already has an open case."))
        return redirect("cases:detail", existing.pk)
    return redirect(
        reverse("cases:open_household", args=[signal.household_id]) + f"?signal={signal.pk}"
    )


def case_open(request: HttpRequest, household_pk: int) -> HttpResponse:
    user = user_of(request)
    policies.cases.require_create(user)
    household = registry_policies.households.get_visible(user, pk=household_pk)
    form = case_forms.CaseOpenForm(
        request.POST or None,
        curators=selectors.curators_for(user),
        agencies=selectors.agencies_to_involve(user),
        initial={"curator": user.pk} if user.role == Role.CASE_CURATOR else {},
    )
    signal = _signal(request, user)
    done = submit(
        request,
        form,
        lambda data: services.case_open(
            actor=user,
            household=household,
            curator=data["curator"],
            legal_basis=data["legal_basis"],
            agencies=data["agencies"],
            source_signal=signal,
        ),
        success=lambda case: _("Case %(number)s is opened.") % {"number": case.number},
        then=lambda case: reverse("cases:detail", args=[case.pk]),
    )
    if done:
        return done
    children = [
        m.person
        for m in household.memberships.filter(role=MemberRole.CHILD).select_related("person")
    ]
    return render(
        request,
        "cases/open_form.html",
        {
            "form": form,
            "household": household,
            "children": children,
            "signal": signal,
            "signal_label": services.signal_label(signal) if signal else "",
        },
    )
