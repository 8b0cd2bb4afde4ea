"""The notifications inbox and the header bell: the page of the one notification table
(ochag.access.notifications), which every app writes to."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ochag.access import notifications
from ochag.access.requests import user_of


def inbox(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    items = list(notifications.inbox(user)[:100])
    unread = notifications.unread_count(user)
    return render(request, "access/notifications.html", {"items": items, "unread": unread})


@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    notifications.mark_read(user=user_of(request))
    return redirect("access:notifications")


def bell(request: HttpRequest) -> HttpResponse:
    """The unread count in the page header, polled by htmx (a background request)."""
    return render(
        request, "access/bell.html", {"unread": notifications.unread_count(user_of(request))}
    )
