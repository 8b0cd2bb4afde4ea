"""The audit-log search and the record-views log, for the coordinator and the administrator.

They live in ``access`` rather than in ``core`` (which owns the log itself) because who may
read the log is an access question: ``core`` imports no app.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ochag.access import policies
from ochag.access.forms import AuditSearchForm
from ochag.access.requests import user_of
from ochag.core.policies import Action
from ochag.core.tables import Column, Table, search_text


def _log_table(request: HttpRequest, rows: QuerySet[Any], caption: str, *own: Column) -> Table:
    """Both logs the same way: when and who first, newest first, 50 entries a page."""
    return Table(
        request=request,
        queryset=rows,
        columns=[Column(_("Time"), "at"), Column(_("Who"), "actor_label", key="actor"), *own],
        default_sort="-at",
        per_page=50,
        caption=caption,
    )


def audit_log(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
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
    table = _log_table(
        request,
        visible,
        _("Audit log"),
        Column(_("Action"), "action"),
        Column(_("Object")),
        Column(_("Territory")),
    )
    return render(request, "access/audit_log.html", {"form": form, "table": table})


def audit_event(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry in full; the request id (to find the server's log lines) for administrators."""
    user = user_of(request)
    policies.audit_events.require(user, Action.VIEW)
    event = policies.audit_events.get_visible(user, pk=pk)
    return render(
        request,
        "access/audit_event.html",
        {"event": event, "show_request": policies.is_admin(user)},
    )


def access_log(request: HttpRequest) -> HttpResponse:
    """Who opened which person's or family's record."""
    user = user_of(request)
    policies.access_log.require(user, Action.VIEW)
    visible = policies.access_log.visible(user)
    q = search_text(request)
    if q:
        visible = visible.filter(
            Q(actor_label__icontains=q) | Q(object_label__icontains=q) | Q(object_id=q)
        )
    table = _log_table(
        request,
        visible,
        _("Record views"),
        Column(_("Record")),
        Column(_("Purpose")),
        Column(_("Request")),
    )
    return render(request, "access/access_log.html", {"table": table, "q": q})


def break_glass_report(request: HttpRequest) -> HttpResponse:
    """Every emergency access of the region: who, from which agency, which record, why, until
    when. For the coordinator's review."""
    user = user_of(request)
    policies.break_glass.require(user, Action.VIEW)
    visible = policies.break_glass.visible(user)
    q = search_text(request)
    if q:
        visible = visible.filter(
            Q(user__last_name__icontains=q) | Q(user__username__icontains=q)
            | Q(agency__name__icontains=q) | Q(reason__icontains=q)
            | Q(record_id=int(q) if q.isdigit() else -1)
        )  # fmt: skip
    table = Table(
        request=request,
        queryset=visible,
        columns=[
            Column(_("Started"), "started_at", key="started"),
            Column(_("Who")),
            Column(_("Record")),
            Column(_("Reason")),
            Column(_("Until"), "expires_at", key="until"),
        ],
        default_sort="-started",
        per_page=50,
        caption=_("Emergency access"),
    )
    return render(request, "access/break_glass_report.html", {"table": table, "q": q})
