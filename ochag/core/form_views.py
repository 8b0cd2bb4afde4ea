"""The step every form screen of every app shares: a valid post runs one service call, a
refusal lands on the form (nothing typed is lost), a success says so and moves on; and the
one plain form page (``components/form_page.html``) the screens without a layout of their
own render."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from ochag.core.forms import add_errors
from ochag.core.services import ConflictError


def submit[T](
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    then: Callable[[T], str],
) -> HttpResponse | None:
    """On a POST whose form is valid, run ``save`` with the cleaned data (a service call).

    Returns the redirect to ``then(result)`` after the success message (``success``, or
    ``success(result)`` where the message names what was saved; an empty one says
    nothing), or None when the form is
    to be shown again: not posted, not valid, or refused by the service (its
    ValidationError is on the form's fields or above them).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc)
        return None
    message = success if isinstance(success, str) else success(result)
    if message:
        messages.success(request, message)
    return redirect(then(result))


def post_action(
    request: HttpRequest, run: Callable[[], object], *, success: str, then: str
) -> HttpResponse:
    """A button's one service call (a form with nothing to type): its success, or the
    service's refusal (ValidationError), as a message on the page it goes back to, ``then``."""
    try:
        run()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(then)


@dataclass
class Versioned[F: forms.BaseForm]:
    """What a versioned form step leaves for the page: the redirect after a save, or the
    form to show again and, after a conflict, the record as someone else saved it."""

    response: HttpResponse | None
    form: F
    current: Any = None


def versioned_submit[T, F: forms.BaseForm](
    request: HttpRequest,
    make_form: Callable[[QueryDict | None], F],
    save: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    then: Callable[[T], str],
    conflict_message: str | Callable[[Any], str],
) -> Versioned[F]:
    """``submit`` for a versioned record: when the service raises ``ConflictError`` (someone
    else saved it since the form was opened), the user's input is bound again to the current
    version (``rebound``), so nothing typed is lost and a second save is a deliberate choice;
    ``conflict_message`` (or ``conflict_message(current)``, where it names what is saved now)
    says so above the form."""
    form = make_form(request.POST or None)
    try:
        done = submit(request, form, save, success=success, then=then)
    except ConflictError as exc:
        current = exc.current
        message = conflict_message(current) if callable(conflict_message) else conflict_message
        form = rebound(request, make_form, fresh=exc.fresh, message=message)
        return Versioned(None, form, current)
    return Versioned(done, form)


def rebound[F: forms.BaseForm](
    request: HttpRequest,
    make_form: Callable[[QueryDict], F],
    *,
    fresh: Mapping[str, Any],
    message: Any,
) -> F:
    """The user's input bound again to a versioned record as saved now (``fresh``: its
    ``version``, or whatever hidden fields stand for it) after someone else saved it
    meanwhile: nothing typed is lost, ``message`` says so above the form, and saving again is
    a deliberate second choice."""
    data = request.POST.copy()
    for name, value in fresh.items():
        data[name] = str(value)
    form = make_form(data)
    form.is_valid()
    form.add_error(None, message)
    return form


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    back_url: str,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The plain form page: back link, title, error summary, fields, save and cancel."""
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": title, "back_url": back_url, **extra},
        status=status,
    )


def form_flow(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], object],
    *,
    success: str,
    title: str,
    back_url: str,
    status: int = 200,
) -> HttpResponse:
    """A whole form screen that goes back to ``back_url`` (the page it was opened from)
    after the save, or shows the plain form page again."""
    done = submit(request, form, save, success=success, then=lambda _saved: back_url)
    return done or form_page(request, form, title=title, back_url=back_url, status=status)
