"""A КДН's setup screen: the commission's details and its membership (chair, executive
secretary, members; who has left), kept by the commission's own secretary."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ochag.cases import policies, services
from ochag.cases.forms import commission as case_forms
from ochag.cases.models import Commission, CommissionMember, CommissionRole
from ochag.cases.services.sitting import commission_set_up
from ochag.cases.views.common import staff_only, user_of
from ochag.core.forms import add_errors
from ochag.core.policies import Action


def commission(request: HttpRequest) -> HttpResponse:
    """The user's own commission, or the form to set it up when there is none yet."""
    user = user_of(request)
    staff_only(user)
    assert user.agency is not None  # staff_only
    own = policies.commissions.visible(user).filter(agency_id=user.agency.pk).first()
    if own is not None:
        return redirect("cases:commission_detail", own.pk)
    if not policies.commissions.allows(user, Action.CREATE):
        raise Http404
    form = case_forms.CommissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = commission_set_up(
                actor=user, agency=user.agency, full_name=data["full_name"],
                municipality_name=data["municipality_name"], regional_law=data["regional_law"],
                address=data["address"], members=[],
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The commission is set up. Now add its members."))
            return redirect("cases:commission_detail", made.pk)
    return render(request, "cases/commission.html", {"details": form, "commission": None})


def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    staff_only(user)
    found = policies.commissions.get_visible(user, pk=pk)
    may_change = policies.commissions.allows(user, Action.CHANGE, found)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    details = case_forms.CommissionForm(initial=_initial(found))
    member_form = case_forms.CommissionMemberForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "details":
            details = case_forms.CommissionForm(request.POST)
            if _save_details(request, found, details):
                return redirect("cases:commission_detail", found.pk)
        elif action == "add":
            member_form = case_forms.CommissionMemberForm(request.POST)
            if _add_member(request, found, member_form):
                return redirect("cases:commission_detail", found.pk)
        elif action in ("role", "left"):
            _change_member(request, found, action)
            return redirect("cases:commission_detail", found.pk)
    members = list(found.members.all())
    return render(
        request,
        "cases/commission.html",
        {
            "commission": found,
            "details": details,
            "member_form": member_form,
            "current": [m for m in members if m.is_active],
            "former": [m for m in members if not m.is_active],
            "roles": CommissionRole.choices,
            "may_change": may_change,
        },
    )


def _initial(found: Commission) -> dict[str, Any]:
    names = ("full_name", "municipality_name", "address", "regional_law", "appeal_text")
    return {name: getattr(found, name) for name in names}


def _save_details(request: HttpRequest, found: Commission, form: case_forms.CommissionForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.commission_update(actor=user_of(request), commission=found, **form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc)
        return False
    messages.success(request, _("The commission's details are saved."))
    return True


def _add_member(
    request: HttpRequest, found: Commission, form: case_forms.CommissionMemberForm
) -> bool:
    if not form.is_valid():
        return False
    try:
        member = services.commission_member_add(
            actor=user_of(request), commission=found, **form.cleaned_data
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return False
    messages.success(request, _("%(name)s is added to the commission.") % {"name": member})
    return True


def _change_member(request: HttpRequest, found: Commission, action: str) -> None:
    try:
        member = found.members.get(pk=request.POST.get("member", ""))
    except (CommissionMember.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    role = request.POST.get("role")
    if action == "role" and role not in CommissionRole.values:
        messages.error(request, _("Choose a role."))
        return
    try:
        services.commission_member_update(
            actor=user_of(request), member=member, role=role, left=action == "left"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return
    messages.success(request, _("The commission's membership is saved."))
