"""The lists of cases, tasks and notifications, the coordinator's board and the workload."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ochag.access.models import Agency
from ochag.access.requests import user_of
from ochag.cases import policies, selectors
from ochag.cases.models import (
    CaseStatus,
    Level,
    NotificationKind,
    Task,
    TaskStatus,
)
from ochag.cases.views.common import staff_only
from ochag.core.models import Territory
from ochag.core.policies import Action
from ochag.core.tables import Column, Filter, Table


def case_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    staff_only(user)
    table = Table(
        request=request,
        queryset=selectors.cases_for(user),
        columns=[
            Column(_("Case"), "number"),
            Column(_("Family"), "household__name", key="family"),
            Column(_("Municipality"), "territory__name", key="territory"),
            Column(_("Curator"), "curator__last_name", key="curator"),
            Column(_("Level"), "level"),
            Column(_("Status"), "status"),
            Column(_("Open tasks"), "open_tasks"),
            Column(_("Overdue"), "overdue_tasks"),
            Column(_("Opened"), "opened_at"),
        ],
        default_sort="-opened_at",
        search_fields=("number", "household__name"),
        filters=[
            Filter("status", _("Status"), CaseStatus.choices, lambda qs, v: qs.filter(status=v)),
            Filter("level", _("Level"), Level.choices, lambda qs, v: qs.filter(level=v)),
            Filter(
                "overdue",
                _("Overdue tasks"),
                [("yes", _("Yes"))],
                lambda qs, v: qs.filter(overdue_tasks__gt=0),
            ),
            Filter(
                "mine",
                _("My cases"),
                [("yes", _("Yes"))],
                lambda qs, v: selectors.cases_curated_by(qs, user),
            ),
            Filter(
                "agency",
                _("Curated by my agency"),
                [("yes", _("Yes"))],
                lambda qs, v: selectors.cases_of_agency(qs, user),
            ),
            Filter(
                "review",
                _("Review"),
                [("due", _("Due within a week"))],
                lambda qs, v: selectors.cases_review_due(qs),
            ),
            Filter(
                "curator",
                _("Curator"),
                selectors.curator_choices(policies.cases.visible(user)),
                lambda qs, v: qs.filter(curator_id=v),
            ),
            Filter(
                "flagged",
                _("Removal flagged for the justification panel"),
                [("yes", _("Yes"))],
                lambda qs, v: qs.filter(pk__in=selectors.flagged_case_ids()),
            ),
        ],
        caption=_("Cases"),
    )
    return render(
        request,
        "cases/case_list.html",
        {"table": table, "can_create": policies.cases.allows(user, Action.CREATE)},
    )


def _agency_choices(tasks: QuerySet[Task]) -> list[tuple[str, str]]:
    ids = tasks.values_list("owner_agency", flat=True).distinct()
    return [(str(a.pk), str(a)) for a in Agency.objects.filter(pk__in=ids).order_by("name")]


def _territory_choices(tasks: QuerySet[Task]) -> list[tuple[str, str]]:
    ids = tasks.values_list("case__territory", flat=True).distinct()
    return [(str(t.pk), t.name) for t in Territory.objects.filter(pk__in=ids).order_by("name")]


def task_list(request: HttpRequest) -> HttpResponse:
    """Tasks the user may see; the board links here with the same filters and counts."""
    user = user_of(request)
    staff_only(user)
    base = selectors.tasks_for(user)
    table = Table(
        request=request,
        queryset=base,
        columns=[
            Column(_("Task"), "title"),
            Column(_("Case"), "case__number", key="case"),
            Column(_("Agency"), "owner_agency__name", key="agency"),
            Column(_("Deadline"), "due_on", key="deadline"),
            Column(_("Status"), "status"),
            Column(_("Overdue since"), "overdue_since"),
        ],
        default_sort="deadline",
        search_fields=("title", "case__number"),
        filters=[
            Filter(
                "overdue",
                _("Overdue"),
                [("yes", _("Yes"))],
                lambda qs, v: selectors.tasks_overdue(qs),
            ),
            Filter(
                "due",
                _("Deadline"),
                [("week", _("This week"))],
                lambda qs, v: selectors.tasks_due_this_week(qs),
            ),
            Filter(
                "for",
                _("Responsible"),
                [("me", _("Me"))],
                lambda qs, v: selectors.tasks_for_me(qs, user),
            ),
            Filter(
                "assignee",
                _("Responsible person"),
                [("none", _("Not named"))],
                lambda qs, v: selectors.tasks_unassigned(qs),
            ),
            Filter(
                "agency",
                _("Agency"),
                _agency_choices(base),
                lambda qs, v: qs.filter(owner_agency_id=v),
            ),
            Filter("status", _("Status"), TaskStatus.choices, lambda qs, v: qs.filter(status=v)),
            Filter(
                "mine",
                _("My agency"),
                [("yes", _("Yes"))],
                lambda qs, v: selectors.tasks_of_agency(qs, user),
                # Participants open the list on their own agency's work; those who run
                # cases (they may open one) on every task they see.
                default="" if policies.cases.allows(user, Action.CREATE) else "yes",
            ),
            Filter(
                "territory",
                _("Municipality"),
                _territory_choices(base),
                lambda qs, v: qs.filter(case__territory_id=v),
            ),
            Filter(
                "open",
                _("Open work"),
                [("yes", _("Yes"))],
                lambda qs, v: qs.filter(selectors.OPEN_TASK),
            ),
            Filter(
                "curator",
                _("Curator"),
                selectors.curator_choices(policies.cases.visible(user)),
                lambda qs, v: qs.filter(case__curator_id=v),
            ),
        ],
        caption=_("Tasks"),
    )
    return render(request, "cases/task_list.html", {"table": table})


def notification_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    staff_only(user)
    table = Table(
        request=request,
        queryset=selectors.notifications_for(user),
        columns=[
            Column(_("Date"), "created_at"),
            Column(_("Case"), "subject_label", key="case"),
            Column(_("Kind"), "kind"),
            Column(_("Message")),
        ],
        default_sort="-created_at",
        filters=[
            Filter("kind", _("Kind"), NotificationKind.choices, lambda qs, v: qs.filter(kind=v))
        ],
        caption=_("Case notifications"),
    )
    # The kind is the cases app's word, stored as text in access's one notification table.
    rows = list(table.page.object_list)
    for row in rows:
        row.kind_label = dict(NotificationKind.choices).get(row.kind, row.kind)
    table.page.object_list = rows
    return render(request, "cases/notification_list.html", {"table": table})


def board(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    staff_only(user)
    rows = selectors.board(user)
    return render(
        request,
        "cases/board.html",
        {
            "rows": rows,
            "total": selectors.overdue_tasks_for(user).count(),
            "flagged": selectors.cases_for(user)
            .filter(pk__in=selectors.flagged_case_ids())
            .count(),
        },
    )


def workload(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    staff_only(user)
    return render(request, "cases/workload.html", {"rows": selectors.workload(user)})
