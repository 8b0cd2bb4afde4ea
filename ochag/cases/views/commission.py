"""A КДН's setup screen: the commission's details and its membership (chair, executive
secretary, members; who has left), kept by the commission's own secretary."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access.requests import user_of
from ochag.cases import policies, services
from ochag.cases.forms import commission as case_forms
from ochag.cases.models import Commission, CommissionMember, CommissionRole
from ochag.cases.services.sitting import commission_set_up
from ochag.cases.views.common import staff_only
from ochag.core.form_views import post_action, submit
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
    agency = user.agency
    done = submit(
        request,
        form,
        lambda data: commission_set_up(
            actor=user,
            agency=agency,
            full_name=data["full_name"],
            municipality_name=data["municipality_name"],
            regional_law=data["regional_law"],
            address=data["address"],
            members=[],
        ),
        success=_("The commission is set up. Now add its members."),
        then=lambda made: reverse("cases:commission_detail", args=[made.pk]),
    )
    return done or render(request, "cases/commission.html", {"details": form, "commission": None})


def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    staff_only(user)
    found = policies.commissions.get_visible(user, pk=pk)
    may_change = policies.commissions.allows(user, Action.CHANGE, found)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    details = case_forms.CommissionForm(initial=_initial(found))
    member_form = case_forms.CommissionMemberForm()
    here = reverse("cases:commission_detail", args=[found.pk])
    action = request.POST.get("action") if request.method == "POST" else None
    done = None
    if action == "details":
        details = case_forms.CommissionForm(request.POST)
        done = submit(
            request,
            details,
            lambda data: services.commission_update(actor=user, commission=found, **data),
            success=_("The commission's details are saved."),
            then=lambda _saved: here,
        )
    elif action == "add":
        member_form = case_forms.CommissionMemberForm(request.POST)
        done = submit(
            request,
            member_form,
            lambda data: services.commission_member_add(actor=user, commission=found, **data),
            success=lambda member: _("%(name)s is added to the commission.") % {"name": member},
            then=lambda _saved: here,
        )
    elif action in ("role", "left"):
        done = _change_member(request, found, action, here)
    if done:
        return done
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


def _change_member(request: HttpRequest, found: Commission, action: str, here: str) -> HttpResponse:
    try:
        member = found.members.get(pk=request.POST.get("member", ""))
    except (CommissionMember.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    role = request.POST.get("role")
    if action == "role" and role not in CommissionRole.values:
        messages.error(request, _("Choose a role."))
        return redirect(here)
    return post_action(
        request,
        lambda: services.commission_member_update(
            actor=user_of(request), member=member, role=role, left=action == "left"
        ),
        success=_("The commission's membership is saved."),
        then=here,
    )
