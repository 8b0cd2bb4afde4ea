"""A plan task as support sees it: the service it needs and what the family reads of it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access.requests import user_of
from ochag.cases.policies import tasks as task_policy
from ochag.core.form_views import submit
from ochag.support import policies, selectors
from ochag.support.forms import TaskNeedForm
from ochag.support.services import needs


def task_need(request: HttpRequest, task_pk: int) -> HttpResponse:
    user = user_of(request)
    task = task_policy.visible(user).filter(pk=task_pk).first()
    if task is None:
        raise Http404
    if not policies.may_refer(user, task.case):
        raise PermissionDenied
    current = selectors.task_need(task)
    form = TaskNeedForm(
        request.POST or None,
        initial={
            "version": current.version if current else 0,
            "need": current.need_id if current else None,
            "shown_to_family": current.shown_to_family if current else False,
            "family_text": current.family_text if current else "",
        },
    )
    back = reverse("cases:detail", args=[task.case_id]) + f"#task-{task.pk}"
    done = submit(
        request,
        form,
        lambda data: needs.task_need_save(
            actor=user,
            task=task,
            expected_version=data["version"] or 0,
            need=data["need"],
            shown_to_family=data["shown_to_family"],
            family_text=data["family_text"],
        ),
        success=_("Saved."),
        then=lambda _saved: back,
    )
    return done or render(
        request,
        "support/task_need_form.html",
        {"form": form, "task": task, "back_url": back},
    )
