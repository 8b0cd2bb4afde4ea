"""The coordinator's pages: targets of an indicator, the staff-training register and the
inspection checklist."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.core.exports import XLSX_TYPE, export_record
from ochag.core.form_views import submit
from ochag.core.models import Territory
from ochag.core.policies import Action
from ochag.core.tables import Column, Filter, Table
from ochag.monitoring import checklist, selectors, services
from ochag.monitoring.forms import ChecklistForm, TargetForm, TrainingForm
from ochag.monitoring.models import ChecklistDeclaration, IndicatorTarget, MonthlyReport
from ochag.monitoring.policies import (
    MonitoringPolicyAction,
    dashboards,
    is_municipal_head,
    training,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def targets(request: HttpRequest, code: str) -> HttpResponse:
    """An indicator's targets per territory and year; the coordinator sets them."""
    user = _user(request)
    if not dashboards.allows(user, MonitoringPolicyAction.MANAGE):
        raise PermissionDenied
    scope = selectors.scope_for(user, None)
    indicator = selectors.find(scope, code) if scope is not None else None
    if indicator is None:
        raise Http404
    territories = dashboards.visible(user).order_by("path")
    form = TargetForm(
        request.POST or None,
        territories=territories,
        initial={"year": timezone.localdate().year},
    )
    done = submit(
        request,
        form,
        lambda data: services.target_set(
            actor=user,
            code=code,
            territory=data["territory"],
            year=data["year"],
            value=data["value"],
        ),
        success=_("The target is saved."),
        then=lambda _saved: reverse("monitoring:targets", kwargs={"code": code}),
    )
    if done:
        return done
    rows = (
        IndicatorTarget.objects.filter(code=code, territory__in=territories)
        .select_related("territory")
        .order_by("-year", "territory__path")
    )
    return render(
        request,
        "monitoring/targets.html",
        {"indicator": indicator, "form": form, "targets": rows},
    )


def training_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not training.allows(user, Action.VIEW):
        raise PermissionDenied
    records = training.visible(user)
    agencies = sorted({(str(r.agency_id), str(r.agency)) for r in records}, key=lambda a: a[1])
    table = Table(
        request=request,
        queryset=records,
        columns=[
            Column(_("Specialist"), "specialist__last_name", key="specialist"),
            Column(_("Agency"), "agency__name", key="agency"),
            Column(_("Course"), "course"),
            Column(_("Hours"), "hours"),
            Column(_("Completed on"), "completed_on", key="date"),
            Column(_("Certificate number"), "certificate"),
        ],
        default_sort="-date",
        search_fields=("course", "specialist__last_name", "certificate"),
        filters=[
            Filter("agency", _("Agency"), agencies, lambda qs, v: qs.filter(agency_id=v)),
            Filter(
                "year",
                _("Year"),
                [(str(y), str(y)) for y in range(timezone.localdate().year, 2019, -1)],
                lambda qs, v: qs.filter(completed_on__year=int(v)),
            ),
            Filter(
                "specialist",
                _("Specialist"),
                [(str(r.specialist_id), r.specialist.display_name) for r in records],
                lambda qs, v: qs.filter(specialist_id=v),
            ),
        ],
        caption=_("Staff training"),
    )
    return render(request, "monitoring/training_list.html", {"table": table})


def training_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not training.allows(user, Action.CREATE):
        raise PermissionDenied
    form = TrainingForm(request.POST or None, specialists=training.specialists(user))
    done = submit(
        request,
        form,
        lambda data: services.training_record(actor=user, **data),
        success=_("The training is recorded."),
        then=lambda _saved: reverse("monitoring:training"),
    )
    return done or render(request, "monitoring/training_form.html", {"form": form})


def report_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not dashboards.allows(user, MonitoringPolicyAction.MANAGE):
        raise PermissionDenied
    region = dashboards.home(user)
    reports = MonthlyReport.objects.filter(region=region).defer("content")
    return render(request, "monitoring/reports.html", {"reports": reports})


def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if not dashboards.allows(user, MonitoringPolicyAction.MANAGE):
        raise PermissionDenied
    report = MonthlyReport.objects.filter(region=dashboards.home(user), pk=pk).first()
    if report is None:
        raise Http404
    with transaction.atomic():
        export_record(
            actor=user,
            what=f"monthly report {report.period}",
            file_format="xlsx",
            rows=1,
            obj=report,
        )
    response = HttpResponse(bytes(report.content), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="indicators-{report.period}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


def _checklist_region(user: User) -> Territory:
    """The region whose checklist the user sees: the coordinator's and the federal analyst's
    (read-only); a municipality's head and other staff are refused."""
    if not dashboards.allows(user, Action.VIEW) or is_municipal_head(user):
        raise PermissionDenied
    region = dashboards.home(user)
    if region is None:
        raise PermissionDenied
    return region


def checklist_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    region = _checklist_region(user)
    items = checklist.checklist(region, timezone.localdate())
    return render(
        request,
        "monitoring/checklist.html",
        {
            "region": region,
            "items": items,
            "missing": sum(1 for item in items if not item.done),
            "may_declare": dashboards.allows(user, MonitoringPolicyAction.MANAGE),
        },
    )


def checklist_declare(request: HttpRequest, item: str) -> HttpResponse:
    user = _user(request)
    region = _checklist_region(user)
    if not dashboards.allows(user, MonitoringPolicyAction.MANAGE):
        raise PermissionDenied
    labels = dict(checklist.DECLARED)
    if item not in labels:
        raise Http404
    current = ChecklistDeclaration.objects.filter(region=region, item=item).first()
    initial = (
        {"document": current.document, "dated": current.dated, "link": current.link}
        if current
        else {}
    )
    form = ChecklistForm(request.POST or None, initial=initial)
    done = submit(
        request,
        form,
        lambda data: services.checklist_declare(actor=user, region=region, item=item, **data),
        success=_("The checklist item is declared."),
        then=lambda _saved: reverse("monitoring:checklist"),
    )
    return done or render(
        request, "monitoring/checklist_form.html", {"form": form, "label": labels[item]}
    )
