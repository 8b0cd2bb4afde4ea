"""Home page, help and the error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ochag.core.actors import Actor
from ochag.core.worklist import worklist


def home(request: HttpRequest) -> HttpResponse:
    """What the signed-in person has to act on, from every app's worklist provider."""
    user: Actor = request.user  # type: ignore[assignment]
    return render(
        request,
        "core/home.html",
        {"scope": user.scope_territory, "sections": worklist(user)},
    )


@login_not_required
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "core/help.html")


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
