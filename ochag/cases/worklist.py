"""The cases app's lines on the home page: tasks due and overdue, cases due for review.

Every count is taken with the selector functions the task and case lists filter with, over
the same base queryset, and every line links to that list with those filters."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access.models import Agency, Role, User
from ochag.cases import selectors
from ochag.cases.models import Task
from ochag.cases.policies import is_coordinator
from ochag.core.models import Territory
from ochag.core.worklist import Section, WorkLine

# "For me" rather than the list's default of "my agency" for participants ("mine" empty).
MY_TASKS = {"for": "me", "mine": ""}


def _url(name: str, **params: str) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def _task_lines(
    section: Section, tasks: QuerySet[Task], overdue: str, this_week: str, scope: dict[str, str]
) -> list[WorkLine]:
    """A scope's overdue tasks and tasks due this week, each linking to the task list with
    the scope's filters (``scope``) and the same selector the list filters with."""
    return [
        WorkLine(
            section,
            overdue,
            selectors.tasks_overdue(tasks).count(),
            _url("cases:tasks", **scope, overdue="yes"),
            order=20,
            tone="red",
        ),
        WorkLine(
            section,
            this_week,
            selectors.tasks_due_this_week(tasks).count(),
            _url("cases:tasks", **scope, due="week"),
            order=21,
        ),
    ]


def lines(user: User) -> list[WorkLine]:
    if not user.is_authenticated or not user.sees_personal_data or user.agency_id is None:
        return []
    if is_coordinator(user):
        return _region_lines(user)
    if user.role == Role.ADMINISTRATOR:
        return []  # administers the system; does no case work
    tasks = selectors.tasks_for(user)
    cases = selectors.cases_for(user)
    mine = selectors.tasks_for_me(tasks, user)
    result = _task_lines(
        Section.MINE, mine, _("My overdue tasks"), _("My tasks due this week"), MY_TASKS
    )
    curates = user.role == Role.CASE_CURATOR  # only curators have cases of their own
    if curates:
        result.append(
            WorkLine(
                Section.MINE,
                _("My cases due for monitoring or review"),
                selectors.cases_review_due(selectors.cases_curated_by(cases, user)).count(),
                _url("cases:list", mine="yes", review="due"),
                order=22,
                tone="amber",
            )
        )
    if user.is_supervisor:
        agency_tasks = selectors.tasks_of_agency(tasks, user)
        result += _task_lines(
            Section.AGENCY,
            agency_tasks,
            _("Overdue tasks of the agency"),
            _("Tasks of the agency due this week"),
            {"mine": "yes"},
        )
        result += [
            WorkLine(
                Section.AGENCY,
                _("Open tasks of the agency with nobody responsible"),
                selectors.tasks_unassigned(agency_tasks).count(),
                _url("cases:tasks", mine="yes", assignee="none"),
                order=22,
                tone="amber",
            ),
        ]
        if curates:
            result.append(
                WorkLine(
                    Section.AGENCY,
                    _("Agency's cases due for monitoring or review"),
                    selectors.cases_review_due(selectors.cases_of_agency(cases, user)).count(),
                    _url("cases:list", agency="yes", review="due"),
                    order=23,
                )
            )
    return result


def _region_lines(user: User) -> list[WorkLine]:
    tasks = selectors.tasks_for(user)
    overdue = selectors.tasks_overdue(tasks)
    result = [
        WorkLine(
            Section.REGION,
            _("Overdue tasks in the region"),
            overdue.count(),
            _url("cases:tasks", overdue="yes"),
            order=20,
            tone="red",
        ),
        WorkLine(
            Section.REGION,
            _("Cases due for monitoring or review"),
            selectors.cases_review_due(selectors.cases_for(user)).count(),
            _url("cases:list", review="due"),
            order=21,
        ),
    ]
    per_territory = dict(
        overdue.values_list("case__territory").annotate(n=Count("pk", distinct=True))
    )
    for territory in Territory.objects.filter(pk__in=per_territory).order_by("name"):
        result.append(
            WorkLine(
                Section.BY_MUNICIPALITY,
                _("%(municipality)s: overdue tasks") % {"municipality": territory.name},
                per_territory[territory.pk],
                _url("cases:tasks", overdue="yes", territory=str(territory.pk)),
                order=20,
            )
        )
    per_agency = dict(overdue.values_list("owner_agency").annotate(n=Count("pk", distinct=True)))
    for agency in Agency.objects.filter(pk__in=per_agency).order_by("name"):
        result.append(
            WorkLine(
                Section.BY_AGENCY,
                _("%(agency)s: overdue tasks") % {"agency": agency.short_name or agency.name},
                per_agency[agency.pk],
                _url("cases:tasks", overdue="yes", agency=str(agency.pk)),
                order=20,
            )
        )
    return result
