"""Every cases list and detail page answers in a number of queries that does not grow with
its rows: each page is counted with one row of every kind, then again with three more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.client import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import Role, User
from ochag.access.tests.factories import UserFactory
from ochag.cases import services
from ochag.cases.models import Case, Level, Resolution
from ochag.cases.tests.conftest import CaseCast, all_answered
from ochag.conftest import Cast
from ochag.registry.models import MemberRole, Membership
from ochag.registry.tests.factories import HouseholdFactory, PersonFactory
from ochag.signals.models import Signal

LIST_PAGES = ["list", "tasks", "notifications", "board", "workload"]
CASE_PAGES = ["detail", "timeline", "print", "pdf"]


def _grow(cast: Cast, cc: CaseCast, case: Case, step: int) -> None:
    """One more row of every kind the pages list: a case of another family with its own
    curator, and on the watched case a child, a signal, an agency, tasks (one medical, one
    overdue), notes, assessments, a removal, a decision and a monitoring report."""
    mun = cc.family.territory
    family = HouseholdFactory(name=f"Семья {step}", territory=mun)
    Membership.objects.create(
        household=family, person=PersonFactory(territory=mun), role=MemberRole.CHILD
    )
    curator = UserFactory(username=f"curator{step}", agency=cc.social, role=Role.CASE_CURATOR)
    other = services.case_open(
        actor=cc.kdn_secretary, household=family, curator=curator, agencies=[cc.school]
    )
    Membership.objects.create(
        household=cc.family, person=PersonFactory(territory=mun), role=MemberRole.CHILD
    )
    Signal.objects.create(
        channel="staff",
        basis="duty_art9",
        received_at=timezone.now(),
        territory=mun,
        household=cc.family,
        original_text="Дети одни дома",
        colour="amber",
        track="assessment",
        routed_to=cc.kdn,
        reporting_agency=cc.school,
    )
    long_ago = dt.date(2026, 1, 12)
    for target, agency in ((case, cc.school), (case, cc.clinic), (other, cc.school)):
        services.task_add(
            actor=cc.curator,
            case=target,
            title=f"Задача {step}",
            owner_agency=agency,
            start_date=long_ago,
            deadline_days=5,
            is_medical=agency == cc.clinic,
        )
    services.note_add(actor=cc.curator, case=case, text=f"Запись {step}")
    services.note_add(actor=cc.doctor, case=case, text=f"Диагноз {step}", is_medical=True)
    services.case_participant_add(actor=cc.curator, case=case, agency=cast.agency_a)
    threat = services.safety_assessment_record(
        actor=cc.curator, case=case, criteria=["violence"], immediate_threat=True, reason="Побои"
    )
    services.emergency_removal_record(
        actor=cast.worker_a,
        assessment=threat,
        children=list(cc.children),
        act_number=f"{step}-р",
        act_date=timezone.localdate(),
        prosecutor_notified_on=timezone.localdate(),
        placement="СРЦН",
        reason="Побои",
    )
    services.risk_assessment_record(
        actor=cc.curator,
        case=case,
        answers=all_answered(child_injuries="yes"),
        strengths=[],
        strengths_note="",
        level=Level.TZHS,
        override_reason="Повторные сигналы",
    )
    services.kdn_session_record(
        actor=cc.kdn_secretary,
        case=case,
        date=timezone.localdate(),
        resolution_number=f"{step}/1",
        agenda="Положение семьи",
        resolution=Resolution.APPROVE_PLAN,
        resolution_text="Утвердить план",
    )
    services.monitoring_report_add(
        actor=cc.curator, case=case, period_end=timezone.localdate(), summary="Без изменений"
    )
    services.deadlines_check()


def _count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def _pages(case: Case, runs_case: bool) -> list[str]:
    """The pages the user may open: opening a case and the assessments and decisions are
    for those who run cases (need-to-know)."""
    risk = case.risk_assessments.order_by("pk").first()
    session = case.sessions.order_by("pk").first()
    assert risk is not None and session is not None
    pages = [reverse(f"cases:{name}") for name in LIST_PAGES] + [
        reverse(f"cases:{name}", args=[case.pk]) for name in CASE_PAGES
    ]
    if runs_case:
        pages += [
            reverse("cases:open") + "?q=Семья",
            reverse("cases:risk_detail", args=[case.pk, risk.pk]),
            reverse("cases:session_pdf", args=[case.pk, session.pk]),
        ]
    return pages


@pytest.mark.parametrize("who", ["coordinator", "curator", "kdn_secretary", "teacher", "doctor"])
def test_page_queries_do_not_grow_with_rows(
    client_for: Callable[[User], Client], cast: Cast, cc: CaseCast, case: Case, who: str
) -> None:
    user = cast.coordinator if who == "coordinator" else getattr(cc, who)
    client = client_for(user)
    _grow(cast, cc, case, 1)
    pages = _pages(case, runs_case=who in ("coordinator", "kdn_secretary", "curator"))
    before = {page: _count(client, page) for page in pages}
    for step in (2, 3, 4):
        _grow(cast, cc, case, step)
    after = {page: _count(client, page) for page in pages}
    grown = {page: (before[page], after[page]) for page in pages if after[page] > before[page]}
    assert not grown, grown
