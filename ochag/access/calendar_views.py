"""The region's working-day calendar screen: the exceptions to the federal production
calendar, added and removed by the coordinator and the administrator.

The calendar itself is ``core``'s (``ochag.core.calendar``); the screen is here because who
may change it is an access question: ``core`` imports no app.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access import policies
from ochag.access.requests import user_of
from ochag.core import services
from ochag.core.form_views import post_action
from ochag.core.forms import CalendarOverrideForm
from ochag.core.policies import Action


def calendar(request: HttpRequest) -> HttpResponse:
    """The region's exceptions to the federal production calendar, and adding one."""
    user = user_of(request)
    can_create = policies.calendar_overrides.allows(user, Action.CREATE)
    form = CalendarOverrideForm(request.POST or None)
    if request.method == "POST":
        policies.calendar_overrides.require_create(user)
        region = user.scope_territory.region if user.scope_territory else None
        if region is not None and form.is_valid():
            services.calendar_override_set(actor=user, region=region, **form.cleaned_data)
            messages.success(request, _("The calendar is updated."))
            return redirect("calendar:list")
    overrides = policies.calendar_overrides.visible(user).order_by("-date")
    return render(
        request,
        "access/calendar.html",
        {
            "form": form,
            "overrides": overrides,
            "can_create": can_create,
        },
    )


@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    override = policies.calendar_overrides.get_changeable(user, pk=pk)
    return post_action(
        request,
        lambda: services.calendar_override_delete(actor=user, override=override),
        success=_("The calendar is updated."),
        then=reverse("calendar:list"),
    )
