"""Care's lines on the home page. The coordinator sees the region's institutions not visited
within the regional period (remote ones named first), children in care without an overseer,
overdue placement reviews, incident follow-ups and transformation milestones; the staff of an
agency responsible for an incident's follow-up see their agency's overdue ones. Every count
uses the filter its list applies."""

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


def _agency_lines(user: User) -> list[WorkLine]:
    """Overdue follow-ups of incidents the user's agency is responsible for or runs."""
    if not user.sees_personal_data or user.agency_id is None:
        return []
    today = timezone.localdate()
    count = selectors.tasks_overdue(policies.institutions.follow_ups(user), today).count()
    if not count:
        return []
    return [
        WorkLine(
            Section.AGENCY,
            _("Incident follow-ups overdue"),
            count,
            _url("care:follow_ups", due="overdue"),
            order=53,
            tone="red",
        )
    ]


def lines(user: User) -> list[WorkLine]:
    if not policies.is_coordinator(user):
        return _agency_lines(user)
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
    result.append(
        WorkLine(
            Section.REGION,
            _("Incident follow-ups overdue"),
            selectors.tasks_overdue(policies.institutions.follow_ups(user), today).count(),
            _url("care:follow_ups", due="overdue"),
            order=53,
            tone="red",
        )
    )
    result.append(
        WorkLine(
            Section.REGION,
            _("Transformation milestones overdue"),
            selectors.tasks_overdue(policies.institutions.milestones(user), today).count(),
            _url("care:milestones", due="overdue"),
            order=54,
            tone="amber",
        )
    )
    return [line for line in result if line.count]
