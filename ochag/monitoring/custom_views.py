"""The coordinator's screen for regional indicators: the list, define or change, retire."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.models import User
from ochag.core.form_views import post_action
from ochag.core.models import Territory
from ochag.monitoring import custom, services
from ochag.monitoring import indicators as registry
from ochag.monitoring.forms import CustomIndicatorForm
from ochag.monitoring.models import CustomIndicator
from ochag.monitoring.policies import MonitoringPolicyAction, dashboards

FK_VALUES_SHOWN = 300


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _region(request: HttpRequest) -> Territory:
    """The coordinator's region; anyone else is refused."""
    user = _user(request)
    if not dashboards.allows(user, MonitoringPolicyAction.MANAGE):
        raise PermissionDenied
    region = dashboards.home(user)
    if region is None:
        raise PermissionDenied
    return region


def _filters(region: Territory, code: str) -> list[tuple[str, str]]:
    """The values the count ``code`` can be narrowed to: every value of each breakdown with
    choices; for a breakdown by a record (an agency, a service) the ones in the region's
    records (one query each)."""
    if code not in custom.BASES:
        return []
    base = registry.count(code)
    out: list[tuple[str, str]] = []
    for dimension in base.dimensions:
        if dimension.choices:
            out += [
                (f"{dimension.key}:{v}", f"{dimension.label}: {lbl}")
                for v, lbl in dimension.choices
            ]
            continue
        found = (
            base.base(region.path)
            .order_by()
            .exclude(**{f"{dimension.field}__isnull": True})
            .values_list(dimension.field, dimension.label_field)
            .distinct()[:FK_VALUES_SHOWN]
        )
        out += sorted(
            ((f"{dimension.key}:{pk}", f"{dimension.label}: {name}") for pk, name in found),
            key=lambda item: item[1],
        )
    return out


def _form(request: HttpRequest, region: Territory, initial: dict[str, Any]) -> CustomIndicatorForm:
    data = request.POST if request.method == "POST" else None
    chosen = data or initial
    return CustomIndicatorForm(
        data,
        initial=initial,
        bases=[(b.code, str(b.name)) for b in custom.bases()],
        municipalities=Territory.objects.filter(
            path__startswith=region.path, level=Territory.Level.MUNICIPALITY
        ).order_by("name"),
        filters={
            part: _filters(region, str(chosen.get(part) or ""))
            for part in ("numerator", "denominator")
        },
    )


def custom_list(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    rows = CustomIndicator.objects.filter(region=region).order_by("-is_active", "name")
    names = {b.code: b.name for b in custom.bases()}
    return render(
        request,
        "monitoring/custom_list.html",
        {"region": region, "rows": [(row, names.get(row.numerator, "")) for row in rows]},
    )


def custom_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    region = _region(request)
    user = _user(request)
    indicator = get_object_or_404(CustomIndicator, pk=pk, region=region) if pk else None
    initial: dict[str, Any] = {"kind": CustomIndicator.Kind.COUNT, "direction": "none"}
    if indicator is not None:
        initial = {
            "name": indicator.name,
            "unit": indicator.unit,
            "formula": indicator.formula,
            "kind": indicator.kind,
            "direction": {True: "up", False: "down", None: "none"}[indicator.up_is_good],
            "numerator": indicator.numerator,
            "numerator_territory": indicator.numerator_territory_id,
            "numerator_filter": indicator.numerator_filter,
            "denominator": indicator.denominator,
            "denominator_territory": indicator.denominator_territory_id,
            "denominator_filter": indicator.denominator_filter,
            "version": indicator.version,
        }
    form = _form(request, region, initial)
    if request.method == "POST" and "refresh" not in request.POST and form.is_valid():
        data = form.cleaned_data
        spec = services.CustomSpec(
            name=data["name"],
            unit=data["unit"],
            formula=data["formula"],
            kind=data["kind"],
            up_is_good=form.up_is_good(),
            numerator=data["numerator"],
            numerator_territory=data["numerator_territory"],
            numerator_filter=data["numerator_filter"],
            denominator=data["denominator"] or "",
            denominator_territory=data["denominator_territory"],
            denominator_filter=data["denominator_filter"],
        )
        try:
            saved = services.custom_indicator_save(
                actor=user,
                region=region,
                spec=spec,
                indicator=indicator,
                expected_version=data.get("version"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The indicator is saved and shown on the dashboards."))
            return redirect(reverse("monitoring:indicator", args=[saved.code]))
    return render(
        request,
        "monitoring/custom_form.html",
        {"form": form, "indicator": indicator, "region": region},
    )


@require_POST
def custom_retire(request: HttpRequest, pk: int) -> HttpResponse:
    region = _region(request)
    indicator = get_object_or_404(CustomIndicator, pk=pk, region=region)
    if not indicator.is_active:
        raise Http404
    return post_action(
        request,
        lambda: services.custom_indicator_retire(actor=_user(request), indicator=indicator),
        success=_("The indicator is no longer shown on the dashboards."),
        then=reverse("monitoring:custom_list"),
    )
