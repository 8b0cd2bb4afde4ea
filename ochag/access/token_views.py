"""The administrator's screens for agencies' API tokens: list, issue, revoke, rotate."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ochag.access import policies, tokens
from ochag.access.models import Agency, AgencyToken, User
from ochag.access.requests import user_of
from ochag.core.form_views import post_action
from ochag.core.policies import Action

LIFETIMES = [
    ("90", gettext_lazy("90 days")),
    ("365", gettext_lazy("One year")),
    ("", gettext_lazy("No expiry")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Which system uses it, e.g. «ЭШ Озёрск»."),
    )
    lifetime = forms.ChoiceField(
        label=gettext_lazy("Valid for"), choices=LIFETIMES, initial="365", required=False
    )


def _agency_for_tokens(user: User, pk: int) -> Agency:
    agency = policies.agencies.get_visible(user, pk=pk)
    if not policies.agency_tokens.allows(user, Action.VIEW):
        raise Http404
    return agency


def _issued(request: HttpRequest, token: AgencyToken, raw: str) -> HttpResponse:
    """The one page that ever shows the token; never cached."""
    response = render(request, "access/token_issued.html", {"token": token, "raw": raw})
    response["Cache-Control"] = "no-store"
    return response


def token_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agency = _agency_for_tokens(user, pk)
    form = TokenForm(request.POST or None)
    if request.method == "POST":
        policies.agency_tokens.require_create(user)
        if form.is_valid():
            days = form.cleaned_data["lifetime"]
            token, raw = tokens.agency_token_issue(
                actor=user,
                agency=agency,
                name=form.cleaned_data["name"],
                expires_at=timezone.now() + dt.timedelta(days=int(days)) if days else None,
            )
            return _issued(request, token, raw)
    rows = policies.agency_tokens.visible(user).filter(agency=agency)
    return render(
        request,
        "access/token_list.html",
        {
            "agency": agency,
            "rows": rows,
            "form": form,
            "can_change": policies.agency_tokens.allows(user, Action.CHANGE),
        },
    )


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    token = policies.agency_tokens.get_changeable(user, pk=pk)
    return post_action(
        request,
        lambda: tokens.agency_token_revoke(actor=user, token=token),
        success=_("The token is revoked: calls with it are refused from now on."),
        then=reverse("access:token_list", kwargs={"pk": token.agency_id}),
    )


@require_POST
def token_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    token = policies.agency_tokens.get_changeable(user, pk=pk)
    if not token.is_live:
        messages.error(request, _("Only a working token can be rotated; issue a new one."))
        return redirect("access:token_list", pk=token.agency_id)
    new, raw = tokens.agency_token_rotate(actor=user, token=token)
    return _issued(request, new, raw)
