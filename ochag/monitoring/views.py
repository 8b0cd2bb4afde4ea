"""Dashboards, an indicator's page and the list behind every number."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.models import User
from ochag.core.exports import pdf_export, table_export
from ochag.core.models import Territory
from ochag.core.policies import Action
from ochag.core.tables import Column, Table
from ochag.monitoring import charts, costs, form103, pdf, selectors, services, snapshots
from ochag.monitoring import indicators as registry
from ochag.monitoring.catalogue import SECTION_LABELS
from ochag.monitoring.indicators import Count
from ochag.monitoring.periods import Period
from ochag.monitoring.policies import (
    MonitoringPolicyAction,
    dashboards,
    is_municipal_head,
    may_see_dashboards,
)
from ochag.monitoring.selectors import Scope


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _scope(request: HttpRequest) -> Scope:
    """403 for a user without dashboards; 404 for a territory that is not theirs."""
    user = _user(request)
    if not may_see_dashboards(user):
        raise PermissionDenied
    scope = selectors.scope_for(user, request.GET.get("territory"))
    if scope is None:
        raise Http404
    return scope


def _period(request: HttpRequest) -> Period:
    return Period.parse(request.GET.get("period"))


@dataclass
class PeriodChoice:
    key: str
    label: str


def _period_choices(period: Period) -> list[PeriodChoice]:
    this_year = timezone.localdate().year
    out: list[PeriodChoice] = []
    for year in range(this_year, this_year - 3, -1):
        out.append(PeriodChoice(str(year), _("Year %(year)s") % {"year": year}))
        for month in range(12, 0, -1):
            candidate = Period(year, month)
            if candidate.started():
                out.append(PeriodChoice(candidate.key, candidate.label))
    return out


def _context(request: HttpRequest, scope: Scope, period: Period) -> dict[str, object]:
    territories = list(dashboards.visible(_user(request)).order_by("path"))
    return {
        "may_manage": dashboards.allows(_user(request), MonitoringPolicyAction.MANAGE),
        "may_see_checklist": not is_municipal_head(_user(request)),
        "scope": scope,
        "period": period,
        "periods": _period_choices(period),
        "territories": territories,
    }


def dashboard(request: HttpRequest) -> HttpResponse:
    """The tiles from the last refresh's kept counts where it holds the period (the page
    says as of when), the rest read live; the lists behind the numbers are live."""
    scope, period = _scope(request), _period(request)
    kept = snapshots.kept_for(scope.territory)
    now = timezone.now()
    counts = kept.counts_for(period, now) if kept is not None else {}
    tiles = selectors.dashboard(scope, period, kept=counts)
    facts = kept.cost_facts(period) if kept is not None else None
    sections = [
        (label, [t for t in tiles if t.indicator.section == key])
        for key, label in SECTION_LABELS.items()
    ]
    refresh = snapshots.refresh_of(scope.territory)
    context = _context(request, scope, period) | {
        "sections": [(label, rows) for label, rows in sections if rows],
        "costs": costs.compare(scope, period, facts),
        "kept": kept if counts else None,
        "live_tiles": len(tiles) - sum(1 for t in tiles if _from_kept(t, counts)),
        "refresh": refresh,
        "refresh_busy": refresh is not None and services.refresh_busy(refresh, now),
    }
    return render(request, "monitoring/dashboard.html", context)


def _from_kept(tile: selectors.Tile, counts: Mapping[str, object]) -> bool:
    indicator = tile.indicator
    if isinstance(indicator, Count):
        return indicator.code in counts
    return indicator.numerator in counts and indicator.denominator in counts


@require_POST
def refresh_request(request: HttpRequest) -> HttpResponse:
    """«Обновить сейчас»: the coordinator queues a refresh of the region's kept counts."""
    user = _user(request)
    if not dashboards.allows(user, MonitoringPolicyAction.MANAGE):
        raise PermissionDenied
    region = dashboards.home(user)  # the coordinator's region
    if region is None or region.level != Territory.Level.REGION:
        raise Http404
    if services.indicator_refresh_request(actor=user, region=region):
        messages.success(request, _("The refresh is queued; the page shows when it is done."))
    else:
        messages.info(request, _("A refresh is already queued or running."))
    return redirect(reverse("monitoring:dashboard") + "?" + request.GET.urlencode())


def _indicator(scope: Scope, code: str) -> registry.Indicator:
    indicator = selectors.find(scope, code)
    if indicator is None:
        raise Http404
    return indicator


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope, period = _scope(request), _period(request)
    indicator = _indicator(scope, code)
    tile = selectors.dashboard(scope, period, codes=[code])[0]
    months = [m for m in period.months() if m.started()]
    context = _context(request, scope, period) | {
        "indicator": indicator,
        "tile": tile,
        "trend_rows": [(m.label, f) for m, f in zip(months, tile.trend, strict=True)],
        "trend_chart": charts.columns(
            [formats.date_format(m.first_day, "b") for m in months],
            [f.value for f in tile.trend],
            [f.text if not f.hidden else "" for f in tile.trend],
        ),
    }
    if isinstance(indicator, Count):
        if scope.is_region:
            rows, total = selectors.municipalities(indicator, scope, period)
            context |= {
                "municipalities": rows,
                "municipal_total": total,
                "municipal_chart": charts.rows(
                    [r.label for r in rows],
                    [r.figure.value for r in rows],
                    [r.figure.text if not r.figure.hidden else "" for r in rows],
                ),
            }
        context["breakdowns"] = [
            (dimension, selectors.breakdown(indicator, dimension, scope, period))
            for dimension in indicator.dimensions
        ]
    return render(request, "monitoring/indicator.html", context)


@dataclass
class RecordRow:
    cells: list[object]
    url: str | None


def indicator_list(request: HttpRequest, code: str) -> HttpResponse:
    """The records behind a number: the same selector as the number, so the count agrees."""
    scope, period = _scope(request), _period(request)
    if not scope.may_drill:
        raise PermissionDenied
    indicator = _indicator(scope, code)
    if not isinstance(indicator, Count):
        raise Http404
    records, narrowed = selectors.drill_down(indicator, scope, period, request.GET.get("by", ""))
    kind = indicator.record
    table = Table(
        request=request,
        queryset=records,
        columns=[Column(str(label), sort) for label, sort in kind.columns],
        default_sort=kind.default_sort,
        caption=str(indicator.name),
        per_page=50,
    )
    table.page.object_list = [
        RecordRow(list(kind.cells(obj)), kind.url(obj)) for obj in table.page.object_list
    ]
    return render(
        request,
        "monitoring/list.html",
        _context(request, scope, period)
        | {
            "indicator": indicator,
            "table": table,
            "narrowed": narrowed,
            "by": request.GET.get("by", ""),
        },
    )


def form_103_view(request: HttpRequest) -> HttpResponse:
    """Form 103-РИК for a year, as a page, an XLSX workbook or a PDF."""
    user = _user(request)
    scope = _scope(request)
    try:
        year = int(request.GET.get("year", "") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    sections = form103.form_103(user, scope, year)
    file_format = request.GET.get("format", "")
    title = _("Form 103-RIK, %(year)s: %(territory)s") % {
        "year": year,
        "territory": scope.territory.name,
    }
    if file_format in ("xlsx", "pdf"):
        if not dashboards.allows(user, Action.EXPORT, scope.territory):
            raise PermissionDenied
        table = form103.rows(sections)
        header = [_("Line"), _("Indicator"), _("Value")]
        if file_format == "xlsx":
            return table_export(
                actor=user,
                what=f"form-103 {year} {scope.territory.pk}",
                filename=f"form-103-{year}.xlsx",
                header=header,
                rows=table,
            )
        return pdf_export(
            actor=user,
            what=f"form-103 {year} {scope.territory.pk}",
            filename=f"form-103-{year}.pdf",
            content=pdf.table_pdf(title=title, header=header, rows=table, user=user),
            rows=len(table),
        )
    return render(
        request,
        "monitoring/form103.html",
        _context(request, scope, Period(year))
        | {"sections": sections, "year": year, "title": title},
    )


def indicator_export(request: HttpRequest, code: str) -> HttpResponse:
    """An indicator's tables (months, municipalities, breakdowns) as XLSX, for the period and
    territory shown and with the same suppression as the page."""
    user = _user(request)
    scope, period = _scope(request), _period(request)
    if not dashboards.allows(user, Action.EXPORT, scope.territory):
        raise PermissionDenied
    indicator = _indicator(scope, code)
    tile = selectors.dashboard(scope, period, codes=[code])[0]
    months = [m for m in period.months() if m.started()]
    rows: list[list[str | int | float | None]] = [
        [_("Value"), str(period.label), tile.value.text],
        [_("Previous period"), str(period.previous.label), tile.previous.text],
    ]
    rows += [[_("Month"), m.label, f.text] for m, f in zip(months, tile.trend, strict=True)]
    if isinstance(indicator, Count):
        if scope.is_region:
            found, total = selectors.municipalities(indicator, scope, period)
            rows += [[_("Municipality"), r.label, r.figure.text] for r in found]
            rows.append([_("Municipality"), _("Total"), total.text])
        for dimension, parts in (
            (d, selectors.breakdown(indicator, d, scope, period)) for d in indicator.dimensions
        ):
            rows += [[str(dimension.label), r.label, r.figure.text] for r in parts]
    return table_export(
        actor=user,
        what=f"indicator {code} {period.key} {scope.territory.pk}",
        filename=f"{code}-{period.key}.xlsx",
        header=[str(indicator.name), scope.territory.name, str(indicator.unit)],
        rows=rows,
    )
