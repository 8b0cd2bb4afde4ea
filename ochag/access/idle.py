"""Idle sessions end on the server, whatever a tab left open keeps polling.

A signed-in request that a person made (a page, a form, a click) stamps the session with the
time; a background request (the header bell, an import's progress, a draft's timed autosave)
carries ``X-Ochag-Background: 1`` — the page's script adds it to every htmx request that no
user event triggered — and leaves the stamp alone. Once the stamp is older than the idle limit
the session is ended, so the limit holds even if the browser keeps asking.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve

LAST_ACTIVITY_KEY = "ochag_last_activity"
BACKGROUND_HEADER = "X-Ochag-Background"


def is_background(request: HttpRequest) -> bool:
    return request.headers.get(BACKGROUND_HEADER) == "1"


def idle_limit_seconds() -> int:
    return int(settings.SESSION_IDLE_SECONDS)


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - float(last) > idle_limit_seconds():
                logout(request)
                if _needs_login(request):
                    return login_redirect(request, expired=True)
                return self.get_response(request)
            if last is None or not is_background(request):
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


def _needs_login(request: HttpRequest) -> bool:
    """Whether the page asked for needs a signed-in user (the login page itself does not)."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return True
    return bool(getattr(view, "login_required", True))


def login_redirect(request: HttpRequest, *, expired: bool) -> HttpResponse:
    """Send the browser to the login page, then back to the page it was on."""
    next_url = request.headers.get("HX-Current-URL") or request.get_full_path()
    query = {"next": next_url, "expired": 1} if expired else {"next": next_url}
    target = f"{resolve_url(settings.LOGIN_URL)}?{urlencode(query)}"
    if request.headers.get("HX-Request"):
        # htmx follows HX-Redirect with a full page load instead of swapping the login form
        # into the fragment that asked (the header bell would show a login form).
        response = HttpResponse(status=401)
        response["HX-Redirect"] = target
        return response
    response = HttpResponse(status=302)
    response["Location"] = target
    return response
