"""The interagency plan and its tasks; the plan and a task are edited under optimistic locking."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.models import Agency, User
from ochag.access.requests import user_of
from ochag.cases import policies, selectors, services
from ochag.cases.forms import plan as case_forms
from ochag.cases.models import Case, CaseParticipant, Task
from ochag.cases.views.common import edit_page
from ochag.core.policies import Action


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_changeable(user, pk=pk)
    plan = case.plan
    initial = {
        "version": plan.version,
        "goals": plan.goals,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
    }
    return edit_page(
        request,
        case,
        make_form=lambda data: case_forms.PlanForm(data, initial=initial),
        save=lambda data: services.plan_update(
            actor=user,
            plan=plan,
            expected_version=data["version"],
            goals=data["goals"],
            period_start=data["period_start"],
            period_end=data["period_end"],
        ),
        success=lambda saved: _("Plan saved."),
        title=_("Interagency plan"),
        submit=_("Save"),
        conflict_message=_(
            "Someone else saved this plan while you were editing it. Nothing is lost: "
            "your text is kept below and the version now saved is shown above it. Merge "
            "them and save again."
        ),
        conflict_name="conflict_plan",
    )


def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_changeable(user, pk=pk)

    def success(task: Task) -> str:
        return _("Task added; deadline %(date)s.") % {"date": task.due_on.strftime("%d.%m.%Y")}

    return edit_page(
        request,
        case,
        make_form=lambda data: case_forms.TaskForm(
            data,
            agencies=selectors.agencies_to_involve(user),
            initial={"start_date": timezone.localdate(), "deadline_days": 10},
        ),
        save=lambda data: services.task_add(
            actor=user,
            case=case,
            title=data["title"],
            description=data["description"],
            owner_agency=data["owner_agency"],
            start_date=data["start_date"],
            deadline_days=data["deadline_days"],
            deadline_kind=data["deadline_kind"],
            legal_source=data["legal_source"],
            is_medical=data["is_medical"],
            shared=data["shared"],
            is_legal=data["is_legal"],
        ),
        success=success,
        title=_("New plan task"),
        submit=_("Add the task"),
    )


def task_update(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_visible(user, pk=pk)
    task = policies.tasks.get_changeable(user, pk=task_pk, case=case)
    initial = {
        "version": task.version,
        "status": task.status,
        "status_reason": task.status_reason,
        "evidence": task.evidence,
        "notes": task.notes,
    }
    return edit_page(
        request,
        case,
        make_form=lambda data: case_forms.TaskUpdateForm(data, initial=initial),
        save=lambda data: services.task_update(
            actor=user,
            task=task,
            expected_version=data["version"],
            status=data["status"],
            status_reason=data["status_reason"],
            evidence=data["evidence"],
            notes=data["notes"],
        ),
        success=lambda saved: _("Task updated."),
        title=task.title,
        submit=_("Save"),
        conflict_message=_(
            "Someone else updated this task while you were editing it. Nothing is lost: "
            "your entries are kept below and the saved state is shown above them. Check "
            "and save again."
        ),
        conflict_name="conflict_task",
        task=task,
        share_form=_share_form(user, case, task),
    )


def _share_form(user: User, case: Case, task: Task) -> case_forms.TaskShareForm | None:
    """The sharing controls, for those who run the open case (legal steps and medical
    secrets are never shared)."""
    if task.is_legal or task.is_medical or not policies.cases.allows(user, Action.CHANGE, case):
        return None
    return case_forms.TaskShareForm(agencies=_outside_agencies(user, case))


def _outside_agencies(user: User, case: Case) -> QuerySet[Agency]:
    taking_part = CaseParticipant.objects.filter(case=case).values("agency_id")
    return selectors.agencies_to_involve(user).exclude(pk__in=taking_part).order_by("name")


@require_POST
def task_share(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Share a task with every agency taking part, or stop sharing it."""
    user = user_of(request)
    case = policies.cases.get_visible(user, pk=pk)
    task = policies.tasks.get_visible(user, pk=task_pk, case=case)
    if not policies.cases.allows(user, Action.CHANGE, case):
        raise PermissionDenied
    share = request.POST.get("shared") == "yes"
    form = case_forms.TaskShareForm(request.POST, agencies=_outside_agencies(user, case))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("cases:task", case.pk, task.pk)
    try:
        services.task_share(
            actor=user,
            task=task,
            shared=share,
            agency=form.cleaned_data["agency"] if share else None,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:task", case.pk, task.pk)
    messages.success(
        request,
        _("The task is shared with every agency taking part.")
        if share
        else _("The task is now seen only by its agency and those who run the case."),
    )
    return redirect("cases:detail", case.pk)
