"""Two-factor enforcement: a signed-in user who must use TOTP sees nothing else until they have."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404

from ochag.access.idle import login_redirect

SESSION_KEY = "ochag_2fa_user"
# Pages a half-signed-in user may reach: the two-factor steps themselves and signing out.
_ALLOWED = {
    "access:totp_setup",
    "access:totp_verify",
    "access:logout",
    "access:login",
    "set_language",
}


def two_factor_passed(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated or not user.requires_two_factor:
        return True
    return bool(request.session.get(SESSION_KEY) == user.pk)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not two_factor_passed(request):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            name = (
                f"{match.namespace}:{match.url_name}"
                if match and match.namespace
                else (match.url_name if match else None)
            )
            if name not in _ALLOWED and not request.path_info.startswith("/static/"):
                confirmed = request.user.totp_confirmed_at is not None  # type: ignore[union-attr]
                return redirect("access:totp_verify" if confirmed else "access:totp_setup")
        return self.get_response(request)


class StaffLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a signed-in user unless marked ``login_not_required``.

    The JSON API is the exception as a whole: it authenticates agencies by token itself.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    # The stubs narrow the answer to a redirect; an htmx request gets a 401 with HX-Redirect.
    def handle_no_permission(  # type: ignore[override]
        self, request: HttpRequest, view_func: Callable[..., HttpResponseBase]
    ) -> HttpResponseBase:
        if request.headers.get("HX-Request"):
            # The session ended (idle limit, sign-out in another tab) under an htmx request.
            return login_redirect(request, expired=True)
        return super().handle_no_permission(request, view_func)
