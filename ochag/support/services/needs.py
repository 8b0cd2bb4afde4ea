"""What a plan task asks of support: the service it needs, and how the family sees it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.cases.models import Task
from ochag.core.services import audit_record
from ochag.support.models import ServiceType, SupportAction, TaskNeed


@transaction.atomic
def task_need_save(
    *,
    actor: User,
    task: Task,
    expected_version: int,
    need: ServiceType | None,
    shown_to_family: bool,
    family_text: str = "",
) -> TaskNeed:
    """Save the task's need; ``expected_version`` is 0 for a task without one yet. A second
    person saving from an older page is told, and nothing is overwritten."""
    current = TaskNeed.objects.select_for_update().filter(task=task).first()
    if (current.version if current else 0) != expected_version:
        raise ValidationError(
            _("Someone else has changed this meanwhile. Reload the page to see their changes.")
        )
    text = " ".join(family_text.split())
    if shown_to_family and task.is_medical:
        raise ValidationError(
            {
                "shown_to_family": _(
                    "A task under medical secrecy is not shown on the family's page."
                )
            }
        )
    if shown_to_family and not text:
        raise ValidationError(
            {"family_text": _("Write what the task asks in plain words the family will read.")}
        )
    row = current or TaskNeed(task=task, updated_by=actor, version=0)
    before = {"need": row.need_id, "shown_to_family": row.shown_to_family}
    row.need, row.shown_to_family, row.family_text = need, shown_to_family, text
    row.updated_by = actor
    row.version += 1
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action=SupportAction.TASK_NEED_SAVED,
        obj=task.case,
        detail={
            "task": task.pk,
            "before": before,
            "need": row.need_id,
            "shown_to_family": shown_to_family,
        },
    )
    return row
