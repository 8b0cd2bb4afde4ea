"""What every case screen shares: the case context, the form page and the one edit flow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ochag.access.models import AgencyType, User
from ochag.access.requests import user_of
from ochag.cases import extensions, policies, selectors
from ochag.cases.models import Case
from ochag.cases.policies import CasePolicyAction
from ochag.core import pdf
from ochag.core.form_views import versioned_submit
from ochag.core.policies import Action
from ochag.core.services import access_log_record


def staff_only(user: User) -> None:
    """The federal analyst and accounts without an agency see no personal records."""
    if not user.sees_personal_data or user.agency is None:
        raise PermissionDenied


def case_context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    """What every case page shows; rendering one is a read of the family's record, so it is
    logged here, once, for every case page."""
    user = user_of(request)
    match = request.resolver_match
    access_log_record(actor=user, obj=case, purpose=f"case {match.url_name if match else ''}")
    return {
        "case": case,
        "identity": selectors.identity(case, user),
        "can_manage": policies.cases.allows(user, Action.CHANGE, case),
        # Need-to-know: assessments, removals, decisions and reports for those who run it.
        "runs_case": policies.cases.allows(user, CasePolicyAction.MANAGE, case),
        "can_note": policies.cases.allows(user, CasePolicyAction.ADD_NOTE, case),
        "can_reopen": policies.cases.allows(user, CasePolicyAction.REOPEN, case),
        "extra_sections": extensions.sections(user, case),
        **extra,
    }


def form_page(
    request: HttpRequest, case: Case, form: Any, *, title: str, submit: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "cases/form.html",
        case_context(
            request,
            case,
            form=form,
            title=title,
            submit=submit,
            cancel_url=reverse("cases:detail", args=[case.pk]),
            **extra,
        ),
    )


def done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("cases:detail", case.pk)


def edit_page[T](
    request: HttpRequest,
    case: Case,
    *,
    make_form: Callable[[QueryDict | None], forms.Form],
    save: Callable[[dict[str, Any]], T],
    success: Callable[[T], str],
    title: str,
    submit: str,
    conflict_message: str = "",
    conflict_name: str = "conflict",
    **extra: Any,
) -> HttpResponse:
    """The one get → form → save flow of every case form (``core.form_views.versioned_submit``:
    a ConflictError re-binds the user's input to the current version), showing the record as
    now saved under ``conflict_name``.
    """
    step = versioned_submit(
        request,
        make_form,
        save,
        success=success,
        then=lambda _saved: reverse("cases:detail", args=[case.pk]),
        conflict_message=conflict_message,
    )
    return step.response or form_page(
        request,
        case,
        step.form,
        title=title,
        submit=submit,
        **{conflict_name: step.current},
        **extra,
    )


def managed_record[M: models.Model](
    user: User, pk: int, records: Callable[[Case], models.QuerySet[M]], record_pk: int
) -> tuple[Case, M]:
    """The case ``pk`` and its record ``record_pk`` from ``records(case)``, for those who run
    the case only (need-to-know): for every other participant it is absent, a 404."""
    case = policies.cases.get_visible(user, pk=pk)
    if not policies.cases.allows(user, CasePolicyAction.MANAGE, case):
        raise Http404
    return case, get_object_or_404(records(case), pk=record_pk)


def can_remove(user: User, case: Case) -> bool:
    """Only the guardianship body records an emergency removal (СК 77)."""
    return (
        policies.cases.allows(user, Action.CHANGE, case)
        and user.agency is not None
        and user.agency.type == AgencyType.GUARDIANSHIP
    )


def stamp(user: User, case: Case) -> pdf.Stamp:
    return pdf.stamp_for(user, case.number)
