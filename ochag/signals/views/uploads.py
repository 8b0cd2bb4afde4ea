"""Bulk upload of signals: the upload page, an import's progress and its error report."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ochag.signals import bulk
from ochag.signals.forms import UploadForm
from ochag.signals.policies import imports
from ochag.signals.views.common import apply_errors, user_of


def upload(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    imports.require_create(user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job, created = bulk.import_job_create(actor=user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if created:
                bulk.run_import.enqueue(job_id=job.pk)
            else:
                messages.info(
                    request, _("This file was uploaded before; nothing is imported twice.")
                )
            return redirect("signals:import_detail", pk=job.pk)
    jobs = imports.visible(user)[:20]
    return render(request, "signals/upload.html", {"form": form, "jobs": jobs})


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = imports.get_visible(user_of(request), pk=pk)
    template = (
        "signals/import_status.html"
        if request.headers.get("HX-Request")
        else "signals/import_detail.html"
    )
    return render(request, template, {"job": job})


def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = imports.get_visible(user_of(request), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="errors-{job.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Row"), _("Error")])
    for row, message in job.errors:
        writer.writerow([row, message])
    return response
