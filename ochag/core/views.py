"""Home page, help, the audit-log search, and the error pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access import policies
from ochag.access.models import User
from ochag.core import services
from ochag.core.forms import AuditSearchForm, CalendarOverrideForm
from ochag.core.policies import Action
from ochag.core.tables import Column, Table, search_text
from ochag.core.worklist import worklist


def home(request: HttpRequest) -> HttpResponse:
    """What the signed-in person has to act on, from every app's worklist provider."""
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "core/home.html",
        {"scope": user.scope_territory, "sections": worklist(user)},
    )


@login_not_required
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "core/help.html")


def audit_log(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    policies.audit_events.require(user, Action.VIEW)
    visible = policies.audit_events.visible(user)
    form = AuditSearchForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"]
            visible = visible.filter(
                Q(actor_label__icontains=q)
                | Q(object_label__icontains=q)
                | Q(object_id=q)
                | Q(request_id=q)
            )
        if data["action"]:
            visible = visible.filter(action=data["action"])
        if data["date_from"]:
            visible = visible.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            visible = visible.filter(at__date__lte=data["date_to"])
    table = Table(
        request=request,
        queryset=visible,
        columns=[
            Column(_("Time"), "at"),
            Column(_("Who"), "actor_label", key="actor"),
            Column(_("Action"), "action"),
            Column(_("Object")),
            Column(_("Territory")),
            Column(_("Request")),
        ],
        default_sort="-at",
        per_page=50,
        caption=_("Audit log"),
    )
    return render(request, "core/audit_log.html", {"form": form, "table": table})


def access_log(request: HttpRequest) -> HttpResponse:
    """Who opened which person's or family's record."""
    user: User = request.user  # type: ignore[assignment]
    policies.access_log.require(user, Action.VIEW)
    visible = policies.access_log.visible(user)
    q = search_text(request)
    if q:
        visible = visible.filter(
            Q(actor_label__icontains=q) | Q(object_label__icontains=q) | Q(object_id=q)
        )
    table = Table(
        request=request,
        queryset=visible,
        columns=[
            Column(_("Time"), "at"),
            Column(_("Who"), "actor_label", key="actor"),
            Column(_("Record")),
            Column(_("Purpose")),
            Column(_("Request")),
        ],
        default_sort="-at",
        per_page=50,
        caption=_("Record views"),
    )
    return render(request, "core/access_log.html", {"table": table, "q": q})


def calendar(request: HttpRequest) -> HttpResponse:
    """The region's exceptions to the federal production calendar, and adding one."""
    user: User = request.user  # type: ignore[assignment]
    can_create = policies.calendar_overrides.allows(user, Action.CREATE)
    form = CalendarOverrideForm(request.POST or None)
    if request.method == "POST":
        policies.calendar_overrides.require_create(user)
        region = user.scope_territory.region if user.scope_territory else None
        if region is not None and form.is_valid():
            services.calendar_override_set(actor=user, region=region, **form.cleaned_data)
            messages.success(request, _("The calendar is updated."))
            return redirect("core:calendar")
    overrides = policies.calendar_overrides.visible(user).order_by("-date")
    return render(
        request,
        "core/calendar.html",
        {
            "form": form,
            "overrides": overrides,
            "can_create": can_create,
        },
    )


@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    override = policies.calendar_overrides.get_changeable(user, pk=pk)
    services.calendar_override_delete(actor=user, override=override)
    messages.success(request, _("The calendar is updated."))
    return redirect("core:calendar")


def _error_page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    context = {"title": title, "text": text, "request_id": getattr(request, "request_id", "")}
    return render(request, "core/error.html", context, status=status)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        404,
        _("Page not found"),
        _("The page does not exist, or you do not have access to it."),
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        403,
        _("Not permitted"),
        _("You can view this record but your role does not allow this action."),
    )


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400, _("Bad request"), _("The request could not be understood."))


def error_500(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        500,
        _("Something went wrong"),
        _(
            "The error is logged. Please try again; if it repeats, tell your administrator "
            "the request id shown below."
        ),
    )
