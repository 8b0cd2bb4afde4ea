"""A plan task's need and how the family sees it: saved once, audited, guarded."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ochag.cases.models import Case
from ochag.core.models import AuditEvent
from ochag.support.models import SupportAction, TaskNeed
from ochag.support.services import needs
from ochag.support.tests.conftest import SupportCast, service_type
from ochag.support.tests.test_coverage import plan_task

pytestmark = pytest.mark.django_db


def test_saved_then_changed_with_the_version(sc: SupportCast, case: Case) -> None:
    task = plan_task(case)
    row = needs.task_need_save(
        actor=case.curator,
        task=task,
        expected_version=0,
        need=service_type("rehabilitation"),
        shown_to_family=True,
        family_text="  Пройти   программу помощи  ",
    )
    assert (row.version, row.family_text) == (1, "Пройти программу помощи")
    with pytest.raises(ValidationError, match="другой пользователь"):
        needs.task_need_save(
            actor=case.curator, task=task, expected_version=0, need=None, shown_to_family=False
        )
    needs.task_need_save(
        actor=case.curator, task=task, expected_version=1, need=None, shown_to_family=False
    )
    saved = TaskNeed.objects.get(task=task)
    assert (saved.version, saved.need, saved.shown_to_family) == (2, None, False)
    events = AuditEvent.objects.filter(action=SupportAction.TASK_NEED_SAVED)
    assert events.count() == 2


def test_family_sees_plain_words_and_never_a_medical_task(sc: SupportCast, case: Case) -> None:
    task = plan_task(case)
    with pytest.raises(ValidationError) as err:
        needs.task_need_save(
            actor=case.curator, task=task, expected_version=0, need=None, shown_to_family=True
        )
    assert "family_text" in err.value.message_dict
    task = plan_task(case, "Лечение у нарколога", is_medical=True)
    with pytest.raises(ValidationError) as err:
        needs.task_need_save(
            actor=case.curator,
            task=task,
            expected_version=0,
            need=None,
            shown_to_family=True,
            family_text="Лечение",
        )
    assert "shown_to_family" in err.value.message_dict
    assert not TaskNeed.objects.exists()
