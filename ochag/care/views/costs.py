"""The money table: children in care now by institution type and by the family's
municipality, at the region's cost per child-month, against the cost of a family-month of
support (support's directory figure when its services have costs, else the region's manual
figure): what each return home would free per month."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ochag.access.requests import user_of
from ochag.care import policies, selectors
from ochag.care.models import InstitutionType
from ochag.support import selectors as support_selectors


def cost_table(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    scope = user.scope_territory
    region = scope.region if scope is not None and scope.region is not None else scope
    placements = policies.placements.visible(user)
    if region is None:
        by_type, by_municipality, family_month, source = [], [], 0.0, "manual"
    else:
        directory = support_selectors.family_support_cost(user)
        family_month = float(
            directory
            if directory is not None
            else selectors.settings_for(region).family_support_month_cost
        )
        source = "directory" if directory is not None else "manual"
        types = dict(InstitutionType.choices)
        by_type = selectors.cost_table(
            placements, region, family_month, "institution__type", lambda k: str(types.get(k, k))
        )
        by_municipality = selectors.cost_table(
            placements, region, family_month, "family_territory__name", str
        )
    return render(
        request,
        "care/costs.html",
        {
            "by_type": by_type,
            "by_municipality": by_municipality,
            "family_month": family_month,
            "source": source,
        },
    )
