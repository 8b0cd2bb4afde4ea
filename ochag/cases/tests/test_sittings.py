"""The КДН sitting (issue 13 #5): commission, quorum, agenda of cases with invited
parents, a decision per case and the resolution PDF in the commissions' form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test.client import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.cases import services
from ochag.cases.models import (
    Case,
    Commission,
    CommissionRole,
    KdnSitting,
    Level,
    Resolution,
    TaskStatus,
)
from ochag.cases.tests.conftest import CaseCast
from ochag.cases.tests.pdftext import pdf_text
from ochag.conftest import Cast
from ochag.core.testing import assert_queries_flat
from ochag.registry.models import MemberRole, Membership
from ochag.registry.tests.factories import HouseholdFactory, PersonFactory

SITTING_DAY = dt.date(2026, 12, 10)


@pytest.fixture
def commission(cc: CaseCast) -> Commission:
    roles = [
        ("Иванов Пётр Сергеевич", "заместитель главы администрации", CommissionRole.CHAIR),
        ("Сидорова Анна Ивановна", "начальник управления образования", CommissionRole.DEPUTY),
        ("Кузнецова Мария Олеговна", "ответственный секретарь КДН", CommissionRole.SECRETARY),
        ("Орлов Денис Андреевич", "инспектор ПДН", CommissionRole.MEMBER),
        ("Белова Ольга Николаевна", "главный врач поликлиники", CommissionRole.MEMBER),
    ]
    return services.commission_set_up(
        actor=cc.kdn_secretary,
        agency=cc.kdn,
        full_name="Комиссия по делам несовершеннолетних и защите их прав администрации города А",
        municipality_name="Город А Тестовой области",
        regional_law="Законом Тестовой области от 01.02.2010 № 5-ОЗ «О комиссиях»",
        address="ул. Ленина, 1, каб. 12",
        members=[services.MemberData(n, p, r) for n, p, r in roles],
    )


@pytest.fixture
def second_case(cc: CaseCast) -> Case:
    mun = cc.family.territory
    family = HouseholdFactory(name="Смирновы", territory=mun, address="ул. Садовая, 3")
    Membership.objects.create(
        household=family,
        person=PersonFactory(last_name="Смирнов", first_name="Иван", sex="M", territory=mun),
        role=MemberRole.CHILD,
    )
    return services.case_open(actor=cc.kdn_secretary, household=family, curator=cc.curator)


@pytest.fixture
def sitting(cc: CaseCast, commission: Commission) -> KdnSitting:
    return services.sitting_schedule(
        actor=cc.kdn_secretary,
        commission=commission,
        number="12",
        date=SITTING_DAY,
        time=dt.time(14, 30),
        place="ул. Ленина, 1, каб. 12",
        other_matters="Об итогах операции «Подросток»\nО плане работы на 2027 год",
    )


def _quorate(sitting: KdnSitting, actor: User, count: int = 3) -> None:
    """The chair and the secretary, and ``count`` members in all."""
    members = list(sitting.commission.members.order_by("pk"))
    chair, secretary = members[0], members[2]
    others = [m for m in members if m not in (chair, secretary)]
    services.sitting_attendance_record(
        actor=actor,
        sitting=sitting,
        present=[chair, secretary, *others[: count - 2]],
        chair=chair,
        secretary=secretary,
    )


def test_a_sitting_decides_each_case_on_its_agenda(
    cc: CaseCast, case: Case, second_case: Case, sitting: KdnSitting
) -> None:
    mother = case.household.memberships.get(role=MemberRole.PARENT).person
    first = services.sitting_case_add(
        actor=cc.kdn_secretary, sitting=sitting, case=case, invite=[mother]
    )
    second = services.sitting_case_add(actor=cc.kdn_secretary, sitting=sitting, case=second_case)
    assert (first.order, second.order) == (1, 2)
    with pytest.raises(ValidationError):  # the same case twice
        services.sitting_case_add(actor=cc.kdn_secretary, sitting=sitting, case=case)
    _quorate(sitting, cc.kdn_secretary)
    invitee = first.invitees.get()
    decision = services.sitting_decision_record(
        actor=cc.kdn_secretary,
        item=first,
        resolution=Resolution.RECOGNISE_SOP,
        established="Мать злоупотребляет алкоголем, дети без присмотра.",
        points=[
            services.PointData("Признать семью в СОП."),
            services.PointData("Обеспечить посещение школы", cc.school, dt.date(2026, 12, 25)),
        ],
        attendance={invitee.pk: True},
    )
    assert decision.resolution_number == "12/1" and decision.sitting == sitting
    assert [p.number for p in decision.points.all()] == [1, 2]
    task = decision.points.get(number=2).task
    assert task is not None and task.owner_agency == cc.school
    assert task.due_on == dt.date(2026, 12, 25) and task.status == TaskStatus.NOT_STARTED
    case.refresh_from_db()
    assert case.level == Level.SOP
    invitee.refresh_from_db()
    assert invitee.attended is True
    services.sitting_decision_record(
        actor=cc.kdn_secretary,
        item=second,
        resolution=Resolution.APPROVE_PLAN,
        established="Семья нуждается в поддержке.",
        points=[services.PointData("Утвердить межведомственный план.")],
        attendance={},
    )
    numbers = sitting.items.values_list("decision__resolution_number", flat=True)
    assert list(numbers) == ["12/1", "12/2"]
    with pytest.raises(ValidationError):  # decided once
        services.sitting_decision_record(
            actor=cc.kdn_secretary,
            item=second,
            resolution=Resolution.OTHER,
            established="…",
            points=[services.PointData("…")],
            attendance={},
        )


def test_no_decision_without_quorum(cc: CaseCast, case: Case, sitting: KdnSitting) -> None:
    item = services.sitting_case_add(actor=cc.kdn_secretary, sitting=sitting, case=case)
    decide = dict(
        actor=cc.kdn_secretary,
        item=item,
        resolution=Resolution.OTHER,
        established="Факты",
        points=[services.PointData("Принять к сведению.")],
        attendance={},
    )
    with pytest.raises(ValidationError):  # nobody recorded present yet
        services.sitting_decision_record(**decide)
    _quorate(sitting, cc.kdn_secretary, count=2)  # 2 of 5: below half
    assert sitting.quorum() == (2, 5, False)
    with pytest.raises(ValidationError):
        services.sitting_decision_record(**decide)
    _quorate(sitting, cc.kdn_secretary, count=3)
    assert sitting.quorum() == (3, 5, True)
    assert services.sitting_decision_record(**decide).resolution_number == "12/1"


def test_chair_and_secretary_must_be_present(cc: CaseCast, sitting: KdnSitting) -> None:
    members = list(sitting.commission.members.order_by("pk"))
    with pytest.raises(ValidationError):
        services.sitting_attendance_record(
            actor=cc.kdn_secretary,
            sitting=sitting,
            present=members[1:4],
            chair=members[0],
            secretary=members[2],
        )


def url(name: str, *args: int) -> str:
    return reverse(f"cases:{name}", args=args)


def test_sitting_flow_through_the_pages_and_the_resolution_pdf(
    client_for: Callable[[User], Client], cc: CaseCast, case: Case, second_case: Case,
    commission: Commission,
) -> None:  # fmt: skip
    client = client_for(cc.kdn_secretary)
    assert client.get(url("sittings")).status_code == 200
    bad = client.post(url("sitting_new"), {"commission": commission.pk, "number": "12"})
    assert bad.status_code == 200 and "error-summary" in bad.content.decode()
    created = client.post(
        url("sitting_new"),
        {
            "commission": commission.pk,
            "number": "12",
            "date": "10.12.2026",
            "time": "14:30",
            "place": "ул. Ленина, 1, каб. 12",
            "other_matters": "О плане работы на 2027 год",
        },
    )
    sitting = KdnSitting.objects.get()
    assert created.status_code == 302 and created["Location"] == url("sitting", sitting.pk)
    members = list(commission.members.order_by("pk"))
    attendance = {
        "present": [m.pk for m in members[:4]],
        "chair": members[0].pk,
        "secretary": members[2].pk,
        "other_matters": "О плане работы на 2027 год",
    }
    assert client.post(url("sitting_attendance", sitting.pk), attendance).status_code == 302
    for c in (case, second_case):
        assert client.post(url("sitting_case_add", sitting.pk), {"case": c.pk}).status_code == 302
    page = client.get(url("sitting", sitting.pk)).content.decode()
    assert "4 из 5" in page and case.number in page and second_case.number in page
    assert "Петрова Вера" in page  # the mother is invited
    item = sitting.items.get(case=case)
    form = client.get(url("sitting_decision", sitting.pk, item.pk)).content.decode()
    assert "ул. Мира, 1" in form  # «УСТАНОВИЛА» starts from the case's facts
    invitee = item.invitees.get()
    decided = client.post(
        url("sitting_decision", sitting.pk, item.pk),
        {
            f"attended_{invitee.pk}": "no",
            "established": "Мать не обеспечивает присмотр за детьми.",
            "resolution": Resolution.RECOGNISE_SOP,
            "point_1": "Признать семью Петровых находящейся в социально опасном положении.",
            "point_2": "Обеспечить ежедневный контроль посещаемости",
            "point_2_agency": cc.school.pk,
            "point_2_term": "25.12.2026",
        },
    )
    assert decided.status_code == 302
    response = client.get(url("sitting_resolution_pdf", sitting.pk, item.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "КОМИССИЯ ПО ДЕЛАМ НЕСОВЕРШЕННОЛЕТНИХ",
        "Город А Тестовой области",
        "ПОСТАНОВЛЕНИЕ № 12/1",
        "10.12.2026, 14:30",
        "ул. Ленина, 1, каб. 12",
        "Иванов Пётр Сергеевич",
        "Орлов Денис Андреевич",
        "Петрова Вера",
        "не явил",
        "УСТАНОВИЛА",
        "Мать не обеспечивает присмотр",
        "120-ФЗ",
        "5-ОЗ",
        "ПОСТАНОВИЛА",
        "1. Признать семью Петровых",
        "Ответственный: Школа А",
        "Срок: до 25.12.2026",
        "обжаловано",
        "Председательствующий",
        "Секретарь заседания",
        "Кузнецова Мария Олеговна",
    ):
        assert expected in text, expected
    # The case keeps its per-case decision, and its PDF is the same resolution.
    session = case.sessions.get()
    legacy = client.get(reverse("cases:session_pdf", args=[case.pk, session.pk]))
    assert "ПОСТАНОВЛЕНИЕ № 12/1" in pdf_text(legacy.content)
    assert case.tasks.filter(owner_agency=cc.school, due_on=dt.date(2026, 12, 25)).exists()


def test_sitting_pages_access(
    client_for: Callable[[User], Client], cast: Cast, cc: CaseCast, case: Case,
    sitting: KdnSitting,
) -> None:  # fmt: skip
    item = services.sitting_case_add(actor=cc.kdn_secretary, sitting=sitting, case=case)
    pages = [
        url("sitting", sitting.pk),
        url("sitting_attendance", sitting.pk),
        url("sitting_case_add", sitting.pk),
        url("sitting_decision", sitting.pk, item.pk),
    ]
    for outsider in (cast.worker_b, cc.teacher, cc.curator, cast.analyst):
        client = client_for(outsider)
        assert [client.get(p).status_code for p in pages] == [404] * 4, outsider
        assert client.get(url("sitting_new")).status_code == 403
    coordinator = client_for(cast.coordinator)  # reads the region's sittings, keeps none
    assert [coordinator.get(p).status_code for p in pages] == [200, 403, 403, 403]
    assert coordinator.get(url("sitting_new")).status_code == 403
    assert client_for(cc.kdn_secretary).get(url("sitting_new")).status_code == 200
    listing = client_for(cc.teacher).get(url("sittings")).content.decode()
    assert "Sitting No. 12" not in listing and "№ 12" not in listing
    assert "№ 12" in client_for(cast.coordinator).get(url("sittings")).content.decode()


def test_sitting_pages_queries_do_not_grow_with_the_agenda(
    client_for: Callable[[User], Client], cast: Cast, cc: CaseCast, sitting: KdnSitting,
    commission: Commission,
) -> None:  # fmt: skip
    """More sittings on the list, more cases (each decided, parents invited) on a sitting."""
    mun = cc.family.territory
    _quorate(sitting, cc.kdn_secretary)

    def more_cases(n: int) -> None:
        for _ in range(n):
            family = HouseholdFactory(territory=mun)
            for role in (MemberRole.CHILD, MemberRole.PARENT, MemberRole.PARENT):
                Membership.objects.create(
                    household=family, person=PersonFactory(territory=mun), role=role
                )
            case = services.case_open(actor=cc.kdn_secretary, household=family, curator=cc.curator)
            item = services.sitting_case_add(
                actor=cc.kdn_secretary,
                sitting=sitting,
                case=case,
                invite=[m.person for m in family.memberships.filter(role=MemberRole.PARENT)],
            )
            services.sitting_decision_record(
                actor=cc.kdn_secretary,
                item=item,
                resolution=Resolution.OTHER,
                established="Факты",
                points=[services.PointData("Принять к сведению.")],
                attendance={},
            )

    def more_sittings(n: int) -> None:
        start = KdnSitting.objects.count()
        for k in range(n):
            services.sitting_schedule(
                actor=cc.kdn_secretary,
                commission=commission,
                number=f"S{start + k}",
                date=SITTING_DAY,
                place="Зал",
            )

    for user in (cc.kdn_secretary, cast.coordinator):
        client = client_for(user)
        assert_queries_flat(client, url("sitting", sitting.pk), more_cases, more=3)
        assert_queries_flat(client, url("sittings"), more_sittings, more=3)
