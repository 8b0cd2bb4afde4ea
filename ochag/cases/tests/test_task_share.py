"""A plan task can be shared after it was created — with the agencies taking part, or with
an agency brought into the case for it — and unshared; legal steps and medical secrets never.
Only those who run the case may; a participant gets 403, an outsider 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.cases import services
from ochag.cases.models import Case, CaseAction, CaseParticipant, Task
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import Cast
from ochag.core.models import AuditEvent

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def _task(cc: CaseCast, case: Case, **extra: object) -> Task:
    return services.task_add(actor=cc.curator, case=case, title="Посещение семьи",
                             owner_agency=cc.social, start_date=dt.date(2026, 11, 2),
                             deadline_days=10, **extra)  # type: ignore[arg-type]  # fmt: skip


def _sees(client: Client, case: Case, task: Task) -> bool:
    page = client.get(reverse("cases:detail", args=[case.pk]))
    return page.status_code == 200 and task.title in page.content.decode()


def test_curator_shares_a_task_with_an_agency_brought_in_then_stops(
    cc: CaseCast, case: Case, client_for: ClientFor
) -> None:
    task = _task(cc, case)
    curator, doctor = client_for(cc.curator), client_for(cc.doctor)
    page = curator.get(reverse("cases:task", args=[case.pk, task.pk])).content.decode()
    assert "Поделиться со всеми участвующими органами" in page and "Поликлиника А" in page
    assert not CaseParticipant.objects.filter(case=case, agency=cc.clinic).exists()

    share = reverse("cases:task_share", args=[case.pk, task.pk])
    assert curator.post(share, {"shared": "yes", "agency": cc.clinic.pk}).status_code == 302
    task.refresh_from_db()
    assert task.shared and CaseParticipant.objects.filter(case=case, agency=cc.clinic).exists()
    assert _sees(doctor, case, task)
    event = AuditEvent.objects.get(action=CaseAction.TASK_SHARING_CHANGED)
    assert event.detail == {"task": task.pk, "shared": True, "agency": cc.clinic.pk}

    assert curator.post(share, {"shared": "no"}).status_code == 302
    task.refresh_from_db()
    assert not task.shared and not _sees(doctor, case, task)


def test_legal_and_medical_tasks_are_never_shared(
    cc: CaseCast, case: Case, client_for: ClientFor
) -> None:
    curator = client_for(cc.curator)
    for task in (_task(cc, case, is_legal=True), _task(cc, case, is_medical=True)):
        page = curator.get(reverse("cases:task", args=[case.pk, task.pk])).content.decode()
        assert "Кто видит эту задачу" not in page
        curator.post(reverse("cases:task_share", args=[case.pk, task.pk]), {"shared": "yes"})
        task.refresh_from_db()
        assert not task.shared
    assert not AuditEvent.objects.filter(action=CaseAction.TASK_SHARING_CHANGED).exists()


def test_sharing_is_for_those_who_run_the_case(
    cast: Cast, cc: CaseCast, case: Case, client_for: ClientFor
) -> None:
    own = services.task_add(actor=cc.curator, case=case, title="Контроль посещаемости",
                            owner_agency=cc.school, start_date=dt.date(2026, 11, 2),
                            deadline_days=10)  # fmt: skip
    others = _task(cc, case)
    teacher = client_for(cc.teacher)
    url = reverse("cases:task_share", args=[case.pk, own.pk])
    assert teacher.post(url, {"shared": "yes"}).status_code == 403
    hidden = reverse("cases:task_share", args=[case.pk, others.pk])
    assert teacher.post(hidden, {"shared": "yes"}).status_code == 404
    assert client_for(cast.worker_b).post(url, {"shared": "yes"}).status_code == 404
    anonymous = Client().post(url, {"shared": "yes"})
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert client_for(cc.curator).get(url).status_code == 405
    own.refresh_from_db()
    assert not own.shared
