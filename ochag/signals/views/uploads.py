"""Bulk upload of signals: the upload page, an import's progress and its error report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.requests import user_of
from ochag.core.exports import table_export
from ochag.core.form_views import submit
from ochag.core.policies import Action
from ochag.signals import bulk, bulk_files, selectors
from ochag.signals.forms import UploadForm
from ochag.signals.models import ImportJob
from ochag.signals.policies import imports


def upload(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    imports.require_create(user)
    form = UploadForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> ImportJob:
        job, created = bulk.import_job_create(actor=user, upload=data["file"])
        if not created:
            messages.info(request, _("This file was uploaded before; nothing is imported twice."))
        return job

    # The import's own page tells how it goes: no message on success.
    done = submit(
        request,
        form,
        save,
        success="",
        then=lambda job: reverse("signals:import_detail", args=[job.pk]),
    )
    jobs = imports.visible(user).select_related("agency")[:20]
    return done or render(request, "signals/upload.html", {"form": form, "jobs": jobs})


def upload_template(request: HttpRequest) -> HttpResponse:
    """The XLSX template: the columns with an example row, and every indicator."""
    imports.require_create(user_of(request))
    response = HttpResponse(
        bulk_files.template_workbook(selectors.indicators()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="ochag-signals-template.xlsx"'
    return response


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = imports.get_visible(user_of(request), pk=pk)
    template = (
        "signals/import_status.html"
        if request.headers.get("HX-Request")
        else "signals/import_detail.html"
    )
    can_change = imports.allows(user_of(request), Action.CHANGE, job)
    return render(request, template, {"job": job, "can_change": can_change})


@require_POST
def import_resume(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    job = imports.get_changeable(user, pk=pk)
    if bulk.import_job_resume(actor=user, job=job):
        messages.success(request, _("The import is resumed from row %(row)s.") % {
            "row": job.processed + 1})  # fmt: skip
    else:
        messages.info(request, _("The import has not stalled: nothing to resume."))
    return redirect("signals:import_detail", pk=job.pk)


@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    job = imports.get_changeable(user, pk=pk)
    if bulk.import_job_cancel(actor=user, job=job):
        messages.success(request, _("The import is cancelled; the rows imported so far stay."))
    else:
        messages.info(request, _("The import has already finished."))
    return redirect("signals:import_detail", pk=job.pk)


def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    job = imports.get_visible(user, pk=pk)
    return table_export(
        actor=user,
        what="import_errors",
        filename=f"errors-{job.pk}.csv",
        header=[_("Row"), _("Error")],
        rows=job.errors,
        obj=job,
    )
