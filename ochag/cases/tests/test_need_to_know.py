"""Need-to-know inside a case (issue 12): every cell of role × kind of record, checked on
every page that could show it — the case page, the timeline, the print view, the summary
PDF and the task list. The README's matrix is this table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test.client import Client
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import Role, User
from ochag.access.tests.factories import UserFactory
from ochag.cases import services
from ochag.cases.models import Case, Level, Resolution
from ochag.cases.tests.conftest import CaseCast, all_answered
from ochag.cases.tests.pdftext import pdf_text
from ochag.conftest import Cast

ROLES = [
    "coordinator",
    "curator",
    "curator_supervisor",
    "kdn",
    "guardianship",
    "school",
    "clinic",
    "outsider",
]
MANAGERS = {"coordinator", "curator", "curator_supervisor", "kdn", "guardianship"}
EVERY_PARTICIPANT = MANAGERS | {"school", "clinic"}


@dataclass(frozen=True)
class Kind:
    """A kind of record, the text that shows it on each page and who may see it."""

    name: str
    marker: str  # on the case page, timeline and print view
    pdf_marker: str  # in the summary PDF ("" when the PDF never lists it)
    seen_by: frozenset[str]
    task: bool = False  # listed on «Задачи»


KINDS = [
    Kind("plan goals", "ЦЕЛЬ-ПЛАНА", "ЦЕЛЬ-ПЛАНА", frozenset(EVERY_PARTICIPANT)),
    Kind("own agency's task (school)", "ЗАДАЧА-ШКОЛЫ", "ЗАДАЧА-ШКОЛЫ",
         frozenset(MANAGERS | {"school"}), task=True),
    Kind("another agency's task, not shared", "ЗАДАЧА-КДН", "ЗАДАЧА-КДН",
         frozenset(MANAGERS), task=True),
    Kind("task shared by the curator", "ОБЩАЯ-ЗАДАЧА", "ОБЩАЯ-ЗАДАЧА",
         frozenset(EVERY_PARTICIPANT), task=True),
    Kind("legal step marked shared (never shared)", "ИСК-ЗАДАЧА", "ИСК-ЗАДАЧА",
         frozenset(MANAGERS), task=True),
    Kind("court claim after a removal", "Подать иск о лишении", "Подать иск о лишении",
         frozenset(MANAGERS), task=True),
    Kind("medical task", "МЕД-ЗАДАЧА", "МЕД-ЗАДАЧА", frozenset({"curator", "clinic"}),
         task=True),
    Kind("a participant's note", "ЗАМЕТКА-ШКОЛЫ", "", frozenset(EVERY_PARTICIPANT)),
    Kind("medical note", "МЕД-ЗАМЕТКА", "", frozenset({"curator", "clinic"})),
    Kind("safety assessment (addiction, violence)", "ОЦЕНКА-БЕЗОПАСНОСТИ",
         "Оценка безопасности", frozenset(MANAGERS)),
    Kind("emergency removal", "АКТ-77", "АКТ-77", frozenset(MANAGERS)),
    Kind("risk assessment", "рекомендательный балл", "Оценка рисков", frozenset(MANAGERS)),
    Kind("КДН resolution", "КДН-45", "КДН-45", frozenset(MANAGERS)),
    Kind("monitoring report", "МОНИТОРИНГ-ИТОГ", "Отчёт мониторинга", frozenset(MANAGERS)),
]  # fmt: skip


def _user(role: str, cast: Cast, cc: CaseCast, supervisor: User) -> User:
    return {
        "coordinator": cast.coordinator,
        "curator": cc.curator,
        "curator_supervisor": supervisor,
        "kdn": cc.kdn_secretary,
        "guardianship": cast.worker_a,
        "school": cc.teacher,
        "clinic": cc.doctor,
        "outsider": cast.worker_b,
    }[role]


@pytest.fixture
def full_case(cast: Cast, cc: CaseCast, case: Case) -> Case:
    """One record of every kind on one case, the guardianship body and the clinic taking part."""
    for agency in (cast.agency_a, cc.clinic):
        services.case_participant_add(actor=cc.curator, case=case, agency=agency)
    services.plan_update(
        actor=cc.curator,
        plan=case.plan,
        expected_version=case.plan.version,
        goals="ЦЕЛЬ-ПЛАНА",
        period_start=None,
        period_end=None,
    )
    today = timezone.localdate()
    for title, agency, extra in (
        ("ЗАДАЧА-ШКОЛЫ", cc.school, {}),
        ("ЗАДАЧА-КДН", cc.kdn, {}),
        ("ОБЩАЯ-ЗАДАЧА", cc.social, {"shared": True}),
        ("ИСК-ЗАДАЧА", cast.agency_a, {"shared": True, "is_legal": True}),
        ("МЕД-ЗАДАЧА", cc.clinic, {"is_medical": True}),
    ):
        services.task_add(
            actor=cc.curator,
            case=case,
            title=title,
            owner_agency=agency,
            start_date=today,
            deadline_days=10,
            **extra,
        )
    services.note_add(actor=cc.teacher, case=case, text="ЗАМЕТКА-ШКОЛЫ")
    services.note_add(actor=cc.doctor, case=case, text="МЕД-ЗАМЕТКА", is_medical=True)
    threat = services.safety_assessment_record(
        actor=cc.curator,
        case=case,
        criteria=["caregiver_intoxicated"],
        immediate_threat=True,
        reason="ОЦЕНКА-БЕЗОПАСНОСТИ",
    )
    services.emergency_removal_record(
        actor=cast.worker_a,
        assessment=threat,
        children=list(cc.children),
        act_number="АКТ-77",
        act_date=today,
        prosecutor_notified_on=today,
        placement="СРЦН",
        reason="Мать в состоянии опьянения",
    )
    services.risk_assessment_record(
        actor=cc.curator,
        case=case,
        answers=all_answered(child_injuries="yes"),
        strengths=[],
        strengths_note="",
        level=Level.SOP,
        override_reason="РИСК-ПРИЧИНА",
    )
    services.kdn_session_record(
        actor=cc.kdn_secretary,
        case=case,
        date=today,
        resolution_number="КДН-45",
        agenda="Положение семьи",
        resolution=Resolution.RECOGNISE_SOP,
        resolution_text="Признать СОП",
    )
    services.monitoring_report_add(
        actor=cc.curator, case=case, period_end=today, summary="МОНИТОРИНГ-ИТОГ"
    )
    return case


@pytest.fixture
def supervisor(cc: CaseCast) -> User:
    return UserFactory(
        username="social_head", agency=cc.social, role=Role.CASE_CURATOR, is_supervisor=True
    )


def _pages(client: Client, case: Case) -> dict[str, str] | None:
    """Every page's text, or None when the case is absent for the user."""
    detail = client.get(reverse("cases:detail", args=[case.pk]))
    if detail.status_code == 404:
        return None
    assert detail.status_code == 200
    texts = {"detail": detail.content.decode()}
    for name in ("timeline", "print"):
        texts[name] = client.get(reverse(f"cases:{name}", args=[case.pk])).content.decode()
    texts["pdf"] = pdf_text(client.get(reverse("cases:pdf", args=[case.pk])).content)
    texts["tasks"] = client.get(reverse("cases:tasks") + "?mine=").content.decode()
    return texts


@pytest.mark.parametrize("role", ROLES)
def test_every_cell_of_the_need_to_know_matrix(
    client_for: Callable[[User], Client],
    cast: Cast,
    cc: CaseCast,
    supervisor: User,
    full_case: Case,
    role: str,
) -> None:
    pages = _pages(client_for(_user(role, cast, cc, supervisor)), full_case)
    if role == "outsider":
        assert pages is None
        return
    assert pages is not None
    wrong = []
    for kind in KINDS:
        sees = role in kind.seen_by
        surfaces = {
            "detail": kind.marker,
            "timeline": kind.marker if kind.name != "plan goals" else "",
            "print": kind.marker,
            "pdf": kind.pdf_marker,
            "tasks": kind.marker if kind.task else "",
        }
        for surface, marker in surfaces.items():
            if marker and (marker in pages[surface]) is not sees:
                wrong.append((kind.name, surface, "shown" if not sees else "missing"))
    assert not wrong, wrong


@pytest.mark.parametrize("role", ["school", "clinic"])
def test_assessment_and_resolution_are_absent_for_participants(
    client_for: Callable[[User], Client],
    cast: Cast,
    cc: CaseCast,
    supervisor: User,
    full_case: Case,
    role: str,
) -> None:
    risk = full_case.risk_assessments.get()
    session = full_case.sessions.get()
    paths = [
        reverse("cases:risk_detail", args=[full_case.pk, risk.pk]),
        reverse("cases:session_pdf", args=[full_case.pk, session.pk]),
    ]
    client = client_for(_user(role, cast, cc, supervisor))
    assert [client.get(p).status_code for p in paths] == [404, 404]
    kdn = client_for(cc.kdn_secretary)
    assert [kdn.get(p).status_code for p in paths] == [200, 200]
    # The identity bar does not tell them of the removal either.
    detail = client.get(reverse("cases:detail", args=[full_case.pk])).content.decode()
    assert "Отобрание" not in detail
    assert "Отобрание" in kdn.get(reverse("cases:detail", args=[full_case.pk])).content.decode()


def test_my_agency_filter_defaults_to_own_agency_for_participants(
    client_for: Callable[[User], Client], cc: CaseCast, full_case: Case
) -> None:
    school = client_for(cc.teacher)
    own = school.get(reverse("cases:tasks")).content.decode()
    assert "ЗАДАЧА-ШКОЛЫ" in own and "ОБЩАЯ-ЗАДАЧА" not in own
    assert '<option value="yes" selected>' in own  # the form says so
    everything = school.get(reverse("cases:tasks") + "?mine=").content.decode()
    assert "ЗАДАЧА-ШКОЛЫ" in everything and "ОБЩАЯ-ЗАДАЧА" in everything
    # Those who run cases open the list on every task they see.
    curator = client_for(cc.curator).get(reverse("cases:tasks")).content.decode()
    assert "ЗАДАЧА-ШКОЛЫ" in curator and "ОБЩАЯ-ЗАДАЧА" in curator
