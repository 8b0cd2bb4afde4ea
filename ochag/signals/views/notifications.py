"""The notifications inbox moved to the access app, which keeps the one notification table
(issue 11); its old addresses here send the browser there, so a bookmark, an old tab's bell
poll or its «mark all as read» form still work."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST


def notifications(request: HttpRequest) -> HttpResponse:
    query = request.GET.urlencode()
    return redirect(reverse("access:notifications") + (f"?{query}" if query else ""))


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    response = redirect("access:notifications_read")
    response.status_code = 307  # the browser posts again, to the new address
    return response


def bell(request: HttpRequest) -> HttpResponse:
    return redirect("access:bell")
