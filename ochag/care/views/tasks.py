"""Care's deadline tasks as lists: incident follow-ups and transformation milestones, each
from its policy's rows with the filters the coordinator's board counts with (open, overdue,
done), searchable and sortable. Marking one done stays on the institution's page."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.requests import user_of
from ochag.care import policies, selectors
from ochag.care.models import IncidentKind, InstitutionType
from ochag.core.tables import Column, Filter, Table


def _due_filter(today: dt.date) -> Filter:
    return Filter(
        "due",
        _("Deadline"),
        [("open", _("Not done yet")), ("overdue", _("Overdue")), ("done", _("Done"))],
        lambda qs, v: {
            "open": selectors.tasks_open(qs),
            "overdue": selectors.tasks_overdue(qs, today),
            "done": qs.filter(done_on__isnull=False),
        }[v],
        default="open",
    )


def follow_up_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not user.sees_personal_data:
        raise PermissionDenied
    today = timezone.localdate()
    table = Table(
        request=request,
        queryset=policies.institutions.follow_ups(user),
        columns=[
            Column(_("Institution"), "institution__name", key="institution"),
            Column(_("Incident"), "occurred_on", key="incident"),
            Column(_("Follow-up task"), "follow_up", key="task"),
            Column(_("Responsible agency"), "follow_up_agency__name", key="agency"),
            Column(_("Due"), "due_on", key="due"),
            Column(_("Done"), "done_on", key="done"),
        ],
        default_sort="due",
        search_fields=("institution__name", "follow_up", "follow_up_agency__name"),
        filters=[
            _due_filter(today),
            Filter("kind", _("Kind"), IncidentKind.choices, lambda qs, v: qs.filter(kind=v)),
        ],
        caption=_("Incident follow-ups"),
    )
    return render(
        request,
        "care/task_list.html",
        {
            "table": table,
            "today": today,
            "title": _("Incident follow-ups"),
            "row_template": "care/follow_up_row.html",
        },
    )


def milestone_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    today = timezone.localdate()
    table = Table(
        request=request,
        queryset=policies.institutions.milestones(user),
        columns=[
            Column(_("Institution"), "institution__name", key="institution"),
            Column(_("Milestone"), "title"),
            Column(_("Responsible"), "owner_agency__name", key="agency"),
            Column(_("Due"), "due_on", key="due"),
            Column(_("Done"), "done_on", key="done"),
        ],
        default_sort="due",
        search_fields=("institution__name", "title", "owner", "owner_agency__name"),
        filters=[
            _due_filter(today),
            Filter(
                "type",
                _("Institution type"),
                InstitutionType.choices,
                lambda qs, v: qs.filter(institution__type=v),
            ),
        ],
        caption=_("Transformation milestones"),
    )
    return render(
        request,
        "care/task_list.html",
        {
            "table": table,
            "today": today,
            "title": _("Transformation milestones"),
            "row_template": "care/milestone_row.html",
        },
    )
