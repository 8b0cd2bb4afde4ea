"""The notifications list and the header bell."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ochag.signals import selectors, services
from ochag.signals.views.common import user_of


def notifications(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    items = list(selectors.notifications(user)[:100])
    unread = selectors.unread_count(user)
    return render(request, "signals/notifications.html", {"items": items, "unread": unread})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=user_of(request))
    return redirect("signals:notifications")


def bell(request: HttpRequest) -> HttpResponse:
    return render(
        request, "signals/bell.html", {"unread": selectors.unread_count(user_of(request))}
    )
