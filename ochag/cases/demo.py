"""Demo cases in Озёрск at various stages, for demo.curator, with КДН, school, clinic and police
tasks (some overdue). Built through the services, so the audit log and history are real."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count, Q
from django.utils import timezone

from ochag.access.models import Agency, AgencyType, User
from ochag.cases import scoring, services
from ochag.cases.models import Case, ClosureGround, Level, Resolution, Task, TaskStatus
from ochag.core.models import Territory
from ochag.registry.models import Household, MemberRole


def _agency(municipality: Territory, kind: AgencyType) -> Agency | None:
    return Agency.objects.filter(territory=municipality, type=kind).first()


def _answers(**given: str) -> dict[str, str]:
    """A finished risk assessment: the demo specialist answered every indicator, «no» where
    nothing was found (some «not known», as in real work)."""
    return {i.code: given.get(i.code, scoring.ANSWER_NO) for i in scoring.INDICATORS}


def generate(*, rng: random.Random, region: Territory) -> dict[str, int]:
    # Synthetic agencies have no real mailboxes: record notifications, send no e-mail.
    with services.mail_suppressed():
        return _generate(rng=rng, region=region)


def _generate(*, rng: random.Random, region: Territory) -> dict[str, int]:
    try:
        curator = User.objects.get(username="demo.curator")
        kdn_user = User.objects.get(username="demo.kdn")
        opeka = User.objects.get(username="demo.opeka")
    except User.DoesNotExist:
        return {}
    municipality = curator.agency.territory if curator.agency else None
    if municipality is None or not municipality.path.startswith(region.path):
        return {}
    kdn, school = _agency(municipality, AgencyType.KDN), _agency(municipality, AgencyType.EDUCATION)
    clinic, police = (
        _agency(municipality, AgencyType.HEALTH),
        _agency(municipality, AgencyType.POLICE),
    )
    families = list(
        Household.objects.filter(territory=municipality)
        .annotate(kids=Count("memberships", filter=Q(memberships__role=MemberRole.CHILD)))
        .filter(kids__gte=1)
        .order_by("pk")[:40]
    )
    if kdn is None or school is None or not families:
        return {}
    # A tiny test region may have fewer families than stages: they then share families.
    chosen = rng.sample(families, min(7, len(families)))
    families = [chosen[i % len(chosen)] for i in range(7)]
    today = timezone.localdate()
    partners = [a for a in (school, clinic, police) if a is not None]

    def open_case(family: Household) -> Case:
        return services.case_open(
            actor=kdn_user,
            household=family,
            curator=curator,
            legal_basis="Постановление КДН и ЗП",
            agencies=partners,
        )

    def safety(case: Case, threat: bool = False, criteria: list[str] | None = None) -> None:
        services.safety_assessment_record(
            actor=curator,
            case=case,
            criteria=criteria or [],
            immediate_threat=threat,
            reason="Обследование по месту жительства"
            if not threat
            else "Дети одни дома, мать в состоянии опьянения",
        )

    def task(
        case: Case,
        title: str,
        agency: Agency,
        days_ago: int,
        days: int,
        medical: bool = False,
        status: str = TaskStatus.NOT_STARTED,
    ) -> Task:
        made = services.task_add(
            actor=curator,
            case=case,
            title=title,
            owner_agency=agency,
            start_date=today - dt.timedelta(days=days_ago),
            deadline_days=days,
            is_medical=medical,
        )
        if status != TaskStatus.NOT_STARTED:
            made = services.task_update(
                actor=curator,
                task=made,
                expected_version=made.version,
                status=status,
                status_reason="Семья не открыла дверь" if status == TaskStatus.NOT_COMPLETE else "",
                evidence="Акт обследования" if status == TaskStatus.DONE else "",
            )
        return made

    # 1. Just opened: the safety assessment is still due.
    open_case(families[0])
    # 2. Assessed, ТЖС, support tasks under way.
    second = open_case(families[1])
    safety(second)
    services.risk_assessment_record(
        actor=curator,
        case=second,
        answers=_answers(
            env_income="yes",
            env_debt="yes",
            env_unsanitary="yes",
            env_utilities="yes",
            parent_competence="partly",
            parent_benefits="unknown",
        ),
        strengths=["attachment", "cooperation"],
        strengths_note="",
        level=Level.TZHS,
        override_reason="",
    )
    task(
        second,
        "Оформить меры социальной поддержки",
        curator.agency or kdn,
        5,
        10,
        status=TaskStatus.IN_PROGRESS,
    )
    # 3. СОП recognised by КДН, plan approved, some tasks overdue.
    third = open_case(families[2])
    safety(third)
    services.risk_assessment_record(
        actor=curator,
        case=third,
        answers=_answers(
            parent_substance="yes",
            child_truancy="yes",
            env_unsanitary="partly",
            env_conflict="unknown",
        ),
        strengths=["relatives"],
        strengths_note="Бабушка помогает",
        level=Level.SOP,
        override_reason="Повторные сигналы школы и полиции",
    )
    services.kdn_session_record(
        actor=kdn_user,
        case=third,
        date=today - dt.timedelta(days=30),
        resolution_number="12/3",
        agenda="О признании семьи в СОП",
        resolution=Resolution.RECOGNISE_SOP,
        resolution_text="Признать семью находящейся в социально опасном положении.",
    )
    services.plan_update(
        actor=curator,
        plan=third.plan,
        expected_version=third.plan.version,
        goals="Восстановить посещение школы; лечение зависимости матери.",
        period_start=today - dt.timedelta(days=30),
        period_end=today + dt.timedelta(days=335),
    )
    services.kdn_session_record(
        actor=kdn_user,
        case=third,
        date=today - dt.timedelta(days=20),
        resolution_number="14/1",
        agenda="Об утверждении плана ИПР",
        resolution=Resolution.APPROVE_PLAN,
        resolution_text="Утвердить межведомственный план.",
    )
    task(third, "Ежедневный контроль посещаемости", school, 25, 10)
    task(third, "Акт обследования условий жизни", kdn, 25, 5, status=TaskStatus.DONE)
    if clinic is not None:
        task(third, "Консультация нарколога для матери", clinic, 25, 10, medical=True)
    if police is not None:
        task(third, "Профилактическая беседа ПДН", police, 3, 10)
    services.note_add(actor=curator, case=third, text="Мать согласилась на консультацию.")
    # 4. Immediate threat: emergency removal with the court-claim deadline.
    fourth = open_case(families[3])
    safety(fourth, threat=True, criteria=["caregiver_intoxicated", "child_alone"])
    services.case_participant_add(actor=kdn_user, case=fourth, agency=opeka.agency)  # type: ignore[arg-type]
    children = [m.person for m in families[3].memberships.filter(role=MemberRole.CHILD)]
    services.emergency_removal_record(
        actor=opeka,
        assessment=fourth.safety_assessments.get(),
        children=children[:1],
        act_number="45-р",
        act_date=today - dt.timedelta(days=2),
        prosecutor_notified_on=today - dt.timedelta(days=2),
        placement="СРЦН «Радуга»",
        reason="Ребёнок 4 лет один дома ночью, мать в состоянии опьянения.",
    )
    # 5. Monitoring under way.
    fifth = open_case(families[4])
    safety(fifth)
    services.monitoring_report_add(
        actor=curator,
        case=fifth,
        period_end=today - dt.timedelta(days=40),
        summary="Семья выполняет план; задолженность погашена.",
    )
    # 6. Closed: causes removed, every agency informed.
    sixth = open_case(families[5])
    safety(sixth)
    task(sixth, "Трудоустройство отца", curator.agency or kdn, 60, 20, status=TaskStatus.DONE)
    services.case_close(actor=kdn_user, case=sixth, ground=ClosureGround.CAUSES_REMOVED)
    # 7. Not complete with a reason, overdue.
    seventh = open_case(families[6])
    safety(seventh)
    task(seventh, "Повторное обследование", school, 20, 5, status=TaskStatus.NOT_COMPLETE)
    report = services.deadlines_check(today=today)
    return {"cases": Case.objects.filter(region=region).count(), "case_overdue": report.overdue}
