"""The risk score under audit: a page of aggregates by subgroup and its XLSX (no lists)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ochag.core.exports import table_export
from ochag.core.policies import Action
from ochag.monitoring import risk_audit
from ochag.monitoring.policies import dashboards
from ochag.monitoring.views import _context, _period, _scope, _user


def _gap(request: HttpRequest) -> int:
    try:
        gap = int(request.GET.get("gap", "") or risk_audit.DEFAULT_GAP)
    except ValueError:
        return risk_audit.DEFAULT_GAP
    return min(max(gap, 1), 50)


def risk_audit_page(request: HttpRequest) -> HttpResponse:
    scope, period = _scope(request), _period(request)
    gap = _gap(request)
    result = risk_audit.audit(scope, period.window, gap=gap)
    if request.GET.get("format") == "xlsx":
        user = _user(request)
        if not dashboards.allows(user, Action.EXPORT, scope.territory):
            raise PermissionDenied
        return table_export(
            actor=user,
            what=f"risk-audit {period.key} {scope.territory.pk}",
            filename=f"risk-audit-{period.key}.xlsx",
            header=[_("Breakdown"), _("Group"), _("Children"), _("Mean score"), *result.rates],
            rows=_rows(result),
        )
    return render(
        request,
        "monitoring/risk_audit.html",
        _context(request, scope, period) | {"audit": result, "gap": gap},
    )


def _rows(result: risk_audit.Audit) -> list[list[str | int | float | None]]:
    def cell(c: risk_audit.Cell) -> str:
        mark = {"above": " ↑", "below": " ↓"}.get(c.flag, "")
        return c.text + mark

    out: list[list[str | int | float | None]] = []
    groups = [("", result.total)] + [
        (table.label, row) for table in result.tables for row in table.rows
    ]
    for label, row in groups:
        out.append([label, row.label, row.n.text, row.mean_score, *(cell(c) for c in row.cells)])
    for band, figure in result.score_bands:
        out.append([_("Score"), band, figure.text, "", *([""] * len(result.rates))])
    return out
