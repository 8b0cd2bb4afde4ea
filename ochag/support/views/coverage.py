"""Coverage of need by services (municipality × type), its XLSX, and the services list each
cell opens."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.access.requests import user_of
from ochag.core.exports import Row, table_export
from ochag.core.tables import Column, Filter, Table
from ochag.support import coverage as cov
from ochag.support import policies, selectors
from ochag.support.models import ServiceFormat


def _require(user: User) -> None:
    if not policies.may_view_coverage(user):
        raise Http404


def coverage(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require(user)
    return render(request, "support/coverage.html", {"coverage": cov.coverage(user)})


def coverage_xlsx(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require(user)
    table = cov.coverage(user)
    rows: list[Row] = [
        [
            cell.municipality.name,
            cell.type.name,
            cell.need,
            cell.services,
            cell.places,
            cell.free,
            cell.waiting,
            _("No service") if cell.gap else (_("No free place") if cell.short else ""),
        ]
        for _m, cells in table.rows
        for cell in cells
    ]
    return table_export(
        actor=user,
        what=_("Coverage of need by services"),
        filename=f"coverage-{timezone.localdate():%Y-%m-%d}.xlsx",
        header=[
            _("Municipality"),
            _("Kind of help"),
            _("Families in need"),
            _("Services"),
            _("Places"),
            _("Free places"),
            _("Waiting"),
            _("Gap"),
        ],
        rows=rows,
    )


def service_list(request: HttpRequest) -> HttpResponse:
    """Services the user sees, by municipality served and type (each coverage cell's list)."""
    user = user_of(request)
    _require(user)
    types = policies.service_types.visible(user)
    table = Table(
        request=request,
        queryset=selectors.with_places(policies.services.visible(user).filter(is_active=True)),
        columns=[
            Column(_("Service"), "name"),
            Column(_("Kind of help"), "type__order", key="type"),
            Column(_("Provider"), "provider__name", key="provider"),
            Column(_("Format")),
            Column(_("Places"), "capacity"),
            Column(_("Free places"), "free"),
            Column(_("Waiting list"), "waiting"),
        ],
        default_sort="type",
        search_fields=("name", "provider__name"),
        filters=[
            Filter(
                "municipality",
                _("Municipality"),
                [(str(m.pk), m.name) for m in selectors.region_municipalities(user)],
                lambda qs, v: qs.filter(provider__municipalities=v),
            ),
            Filter(
                "type",
                _("Kind of help"),
                [(str(t.pk), t.name) for t in types],
                lambda qs, v: qs.filter(type_id=v),
            ),
            Filter(
                "format",
                _("Format"),
                ServiceFormat.choices,
                lambda qs, v: qs.filter(format=v),
            ),
            Filter(
                "free",
                _("Places"),
                [("yes", _("Free places only"))],
                lambda qs, v: qs.filter(free__gt=0),
            ),
        ],
        caption=_("Services"),
    )
    return render(request, "support/service_list.html", {"table": table})
