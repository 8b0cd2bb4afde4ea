"""Plan tasks through support: «Refer» and «Need and family page» beside each task on the
case page, the form behind the second, the referral pre-filled from a task, and the tasks
the family reads on its page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.access.tests.factories import UserFactory
from ochag.cases.models import Case, Task, TaskStatus
from ochag.cases.services import task_add, task_update
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import Cast
from ochag.support.models import TaskNeed
from ochag.support.services import family, needs
from ochag.support.tests.conftest import SupportCast, service_type
from ochag.support.tests.test_coverage import plan_task

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def shared_task(case: Case, cc: CaseCast) -> Task:
    """A task of the school that takes part, shared with every agency of the case."""
    return task_add(
        actor=case.curator,
        case=case,
        title="Записать ребёнка в кружок",
        owner_agency=cc.school,
        start_date=dt.date(2026, 11, 23),
        deadline_days=10,
        shared=True,
    )


def test_links_beside_each_task_for_the_managers_only(
    cc: CaseCast, sc: SupportCast, case: Case, client_for: Clients
) -> None:
    task = shared_task(case, cc)
    page = client_for(case.curator).get(reverse("cases:detail", args=[case.pk]))
    html = page.content.decode()
    assert f"/support/cases/{case.pk}/refer/?task={task.pk}" in html
    assert reverse("support:task_need", args=[task.pk]) in html
    school_user = UserFactory(username="school_teacher", agency=cc.school)
    html = client_for(school_user).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Записать ребёнка в кружок" in html
    assert reverse("support:task_need", args=[task.pk]) not in html
    # A finished task is not referred for any more; its need and family view stay.
    task_update(
        actor=case.curator,
        task=task,
        expected_version=task.version,
        status=TaskStatus.DONE,
        evidence="Справка",
    )
    html = client_for(case.curator).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"?task={task.pk}" not in html
    assert reverse("support:task_need", args=[task.pk]) in html


def test_the_need_form(cc: CaseCast, sc: SupportCast, case: Case, client_for: Clients) -> None:
    task = shared_task(case, cc)
    url = reverse("support:task_need", args=[task.pk])
    assert Client().get(url).status_code == 302
    assert client_for(UserFactory(username="nobody", agency=None)).get(url).status_code == 404
    school_user = UserFactory(username="school_teacher", agency=cc.school)
    assert client_for(school_user).get(url).status_code == 403
    curator = client_for(case.curator)
    assert curator.get(url).status_code == 200
    # Shown to the family without plain words: refused, and what was chosen stays.
    bad = curator.post(
        url, {"version": 0, "need": service_type("parenting").pk, "shown_to_family": "on"}
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "простыми словами" in html and "checked" in html
    assert not TaskNeed.objects.exists()
    done = curator.post(
        url,
        {
            "version": 0,
            "need": service_type("parenting").pk,
            "shown_to_family": "on",
            "family_text": "Ходить на занятия для родителей по средам",
        },
    )
    assert done.status_code == 302 and done["Location"].endswith(f"#task-{task.pk}")
    saved = TaskNeed.objects.get(task=task)
    assert saved.need == service_type("parenting") and saved.shown_to_family
    # A second save from the stale page is refused.
    stale = curator.post(url, {"version": 0, "family_text": "Другое"})
    assert "другой пользователь" in stale.content.decode()
    assert TaskNeed.objects.get(task=task).version == 1


def test_the_referral_is_prefilled_from_the_task(
    sc: SupportCast, case: Case, client_for: Clients
) -> None:
    task = plan_task(case, "Помочь маме с малышом")
    needs.task_need_save(
        actor=case.curator,
        task=task,
        expected_version=0,
        need=service_type("early-help"),
        shown_to_family=False,
    )
    url = reverse("support:referral_create", args=[case.pk]) + f"?task={task.pk}"
    html = client_for(case.curator).get(url).content.decode()
    checked = re.findall(r'<input type="radio" name="service" value="(\d+)"[^>]*checked', html)
    assert checked == [str(sc.early_help.pk)]
    assert f'<option value="{task.pk}" selected>' in html


def test_the_family_reads_its_shown_tasks(
    cast: Cast, sc: SupportCast, case: Case, client_for: Clients
) -> None:
    shown = plan_task(case, "Лечение у нарколога — внутренняя формулировка")
    needs.task_need_save(
        actor=case.curator,
        task=shown,
        expected_version=0,
        need=service_type("rehabilitation"),
        shown_to_family=True,
        family_text="Пройти программу помощи в диспансере",
    )
    needs.task_need_save(
        actor=case.curator,
        task=plan_task(case, "Проверить условия проживания"),
        expected_version=0,
        need=None,
        shown_to_family=False,
    )
    _link, code = family.family_link_issue(actor=case.curator, case=case, days=30)
    html = Client().post(reverse("help:family"), {"code": code}).content.decode()
    assert "Пройти программу помощи в диспансере" in html
    assert "внутренняя формулировка" not in html
    assert "Проверить условия проживания" not in html
    assert shown.due_on.strftime("%d.%m.%Y") in html
