"""Care's lines on the home page. The coordinator sees the region's institutions not visited
within the regional period (remote ones named first), children in care without an overseer
and overdue placement reviews; every count uses the filter its list applies."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.care import policies, selectors
from ochag.core.worklist import Item, Section, WorkLine


def _url(name: str, **params: str) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def lines(user: User) -> list[WorkLine]:
    if not policies.is_coordinator(user):
        return []
    today = timezone.localdate()
    scope = user.scope_territory
    region = scope.region if scope is not None and scope.region is not None else scope
    if region is None:
        return []
    settings = selectors.settings_for(region)
    unvisited = selectors.unvisited(
        policies.institutions.visible(user), today, settings.visit_period_days
    )
    first = list(unvisited[:3])
    result = [
        WorkLine(
            Section.REGION,
            _("Institutions not visited within %(days)s days")
            % {"days": settings.visit_period_days},
            unvisited.count(),
            _url("care:institutions", visit="overdue"),
            order=50,
            tone="red" if first and first[0].is_remote else "amber",
            items=tuple(
                Item(
                    inst.name,
                    reverse("care:institution", args=[inst.pk]),
                    _("remote") if inst.is_remote else "",
                )
                for inst in first
            ),
        )
    ]
    placements = policies.placements.visible(user)
    result.append(
        WorkLine(
            Section.REGION,
            _("Children in care without an overseer"),
            selectors.without_overseer(placements).count(),
            _url("care:children", status="in", flag="no_overseer"),
            order=51,
            tone="red",
        )
    )
    overdue = selectors.reviews_overdue(selectors.reviews_for(user, placements), today)
    result.append(
        WorkLine(
            Section.REGION,
            _("Placement reviews overdue"),
            overdue.count(),
            _url("care:reviews", due="overdue"),
            order=52,
            tone="red",
        )
    )
    return [line for line in result if line.count]
