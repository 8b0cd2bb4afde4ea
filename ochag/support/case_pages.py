"""What support adds to a case's pages (registered with ``ochag.cases.extensions``):
its referrals on the timeline, a «Support» section in the case's navigation, and beside each
plan task a link to refer the family for it and one to say what it needs and what the
family sees of it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.cases.extensions import Event, Section, TaskLink
from ochag.cases.models import Case, Task, TaskStatus
from ochag.support import policies, selectors
from ochag.support.models import ReferralEvent


def timeline(user: User, case: Case) -> list[Event]:
    """Every transition of the case's referrals the user may see."""
    rows = (
        ReferralEvent.objects.filter(referral__in=selectors.case_referrals(user, case))
        .select_related("referral__service__provider", "actor", "actor__agency")
        .order_by("at", "pk")
    )
    return [
        Event(
            _("Referral No. %(number)s to «%(service)s», %(provider)s: %(state)s")
            % {
                "number": row.referral_id,
                "service": row.referral.service.name,
                "provider": row.referral.service.provider.name,
                "state": row.get_status_display(),
            },
            row.actor.display_name,
            str(row.actor.agency or ""),
            row.at,
            row.note,
        )
        for row in rows
    ]


def sections(user: User, case: Case) -> list[Section]:
    if not user.sees_personal_data:
        return []
    return [Section(_("Support and referrals"), reverse("support:case", args=[case.pk]))]


def task_links(user: User, case: Case, tasks: list[Task]) -> dict[int, list[TaskLink]]:
    """For the case's managers: «Refer» on each unfinished task, pre-filled with the task
    (and its needed kind of help), and the task's need and family view."""
    if not tasks or not policies.may_refer(user, case):
        return {}
    needs = selectors.task_needs(tasks)
    refer = reverse("support:referral_create", args=[case.pk])
    links: dict[int, list[TaskLink]] = {}
    for task in tasks:
        need = needs.get(task.pk)
        notes = []
        if need is not None and need.need is not None:
            notes.append(need.need.name)
        if need is not None and need.shown_to_family:
            notes.append(_("shown to the family"))
        row = [
            TaskLink(
                _("Need and family page"),
                reverse("support:task_need", args=[task.pk]),
                "; ".join(notes),
            )
        ]
        if task.status != TaskStatus.DONE:
            row.insert(0, TaskLink(_("Refer to a service"), f"{refer}?task={task.pk}"))
        links[task.pk] = row
    return links
