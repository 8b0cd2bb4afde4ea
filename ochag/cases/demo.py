"""Demo cases at various stages in Озёрск and Северогорск, for several curators, with КДН,
guardianship, school, clinic and police tasks (some overdue).

Built through the services, each step at the moment it happened (ochag.core.clock.as_of), so
the audit log, the timeline and every date agree: a case is opened before its assessments,
its КДН resolutions and its plan; the daily deadline check then runs for every day of the
story, so a task is overdue from the day after its deadline.

Other apps' demo content finds the cases and tasks it builds on through the public functions
at the end (no user: synthetic data only)."""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db.models import QuerySet

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.access.notifications import mail_suppressed
from ochag.cases import demo_kdn, scoring, services
from ochag.cases.demo_story import Story
from ochag.cases.models import (
    Case,
    CaseStatus,
    ClosureGround,
    Level,
    Resolution,
    Task,
    TaskStatus,
)
from ochag.core.models import Territory
from ochag.registry.demo import families_with_children
from ochag.registry.models import Household, MemberRole


def _agency(municipality: Territory, kind: AgencyType) -> Agency | None:
    return Agency.objects.filter(territory=municipality, type=kind).first()


def _answers(**given: str) -> dict[str, str]:
    """A finished risk assessment: the demo specialist answered every indicator, «no» where
    nothing was found (some «not known», as in real work)."""
    return {i.code: given.get(i.code, scoring.ANSWER_NO) for i in scoring.INDICATORS}


def _member(agency: Agency | None, role: Role, *, exclude: User | None = None) -> User | None:
    """A member of staff of the agency in the role: not a supervisor if there is another,
    a demo account before a synthetic one."""
    if agency is None:
        return None
    staff = User.objects.filter(agency=agency, role=role, is_active=True)
    if exclude is not None:
        staff = staff.exclude(pk=exclude.pk)
    return staff.order_by("is_supervisor", "-is_demo", "pk").first()


def generate(*, rng: random.Random, region: Territory) -> dict[str, int]:
    # Synthetic agencies have no real mailboxes: record notifications, send no e-mail.
    with mail_suppressed():
        return _generate(rng=rng, region=region)


def _families(municipality: Territory, rng: random.Random, count: int) -> list[Household]:
    families = families_with_children(municipality.pk, limit=40)
    if not families:
        return []
    # A tiny test region may have fewer families than stages: they then share families.
    chosen = rng.sample(families, min(count, len(families)))
    return [chosen[i % len(chosen)] for i in range(count)]


def _generate(*, rng: random.Random, region: Territory) -> dict[str, int]:
    try:
        curator = User.objects.get(username="demo.curator")
        kdn_user = User.objects.get(username="demo.kdn")
        opeka = User.objects.get(username="demo.opeka")
    except User.DoesNotExist:
        return {}
    home = curator.agency.territory if curator.agency else None
    if home is None or not home.path.startswith(region.path):
        return {}
    story = Story()
    made = _ozyorsk(rng, story, home, curator, kdn_user, opeka)
    north = Territory.objects.filter(parent=region, name="Городской округ Северогорск").first()
    if north is not None:
        made += _severogorsk(rng, story, north)
    story.daily_checks()
    return {
        "cases": Case.objects.filter(region=region).count(),
        "case_curators": len({c.curator_id for c in made}),
        "case_overdue": Task.objects.filter(
            case__region=region, overdue_since__isnull=False
        ).count(),
    }


TaskMaker = Callable[..., Task]


def _task_maker(story: Story, actor: User) -> TaskMaker:
    def task(
        case: Case,
        title: str,
        agency: Agency,
        days_ago: int,
        days: int,
        *,
        medical: bool = False,
        status: str = TaskStatus.NOT_STARTED,
        updated_days_ago: int | None = None,
    ) -> Task:
        with story.at(days_ago, 11):
            made = services.task_add(
                actor=actor,
                case=case,
                title=title,
                owner_agency=agency,
                start_date=story.day(days_ago),
                deadline_days=days,
                is_medical=medical,
            )
        if status != TaskStatus.NOT_STARTED:
            with story.at(days_ago if updated_days_ago is None else updated_days_ago, 15):
                made = services.task_update(
                    actor=actor,
                    task=made,
                    expected_version=made.version,
                    status=status,
                    status_reason="Семья не открыла дверь"
                    if status == TaskStatus.NOT_COMPLETE
                    else "",
                    evidence="Акт обследования" if status == TaskStatus.DONE else "",
                )
        return made

    return task


def _recognise_sop(story: Story, actor: User, case: Case, days_ago: int, number: str) -> None:
    """The КДН sitting of ``days_ago`` (its evening) that recognises the family in СОП."""
    with story.at(days_ago, 17):
        services.kdn_session_record(
            actor=actor,
            case=case,
            date=story.day(days_ago),
            resolution_number=number,
            agenda="О признании семьи в СОП",
            resolution=Resolution.RECOGNISE_SOP,
            resolution_text="Признать семью находящейся в социально опасном положении.",
        )


def _safety(story: Story, actor: User, case: Case, days_ago: int, *, threat: bool = False) -> None:
    with story.at(days_ago, 14):
        services.safety_assessment_record(
            actor=actor,
            case=case,
            criteria=["caregiver_intoxicated", "child_alone"] if threat else [],
            immediate_threat=threat,
            reason="Дети одни дома, мать в состоянии опьянения"
            if threat
            else "Обследование по месту жительства",
        )


def _ozyorsk(
    rng: random.Random,
    story: Story,
    municipality: Territory,
    curator: User,
    kdn_user: User,
    opeka: User,
) -> list[Case]:
    kdn = _agency(municipality, AgencyType.KDN)
    school = _agency(municipality, AgencyType.EDUCATION)
    clinic = _agency(municipality, AgencyType.HEALTH)
    police = _agency(municipality, AgencyType.POLICE)
    families = _families(municipality, rng, 8)
    if kdn is None or school is None or not families:
        return []
    partners = [a for a in (school, clinic, police) if a is not None]
    second_curator = _member(curator.agency, Role.CASE_CURATOR, exclude=curator) or curator
    task = _task_maker(story, curator)

    def open_case(family: Household, days_ago: int, who: User = curator) -> Case:
        with story.at(days_ago, 9):
            return services.case_open(
                actor=kdn_user,
                household=family,
                curator=who,
                legal_basis="Постановление КДН и ЗП",
                agencies=partners,
            )

    # The oldest first, so the story is written in the order it happened.
    # 5. Monitoring: the quarterly review falls due this week.
    fifth = open_case(families[4], 100)
    _safety(story, curator, fifth, 99)
    with story.at(85, 12):
        services.monitoring_report_add(
            actor=curator,
            case=fifth,
            period_end=story.day(88),
            next_review=story.day(-3),
            summary="Семья выполняет план; задолженность погашена.",
        )
    # 6. Closed: causes removed, every agency informed.
    sixth = open_case(families[5], 80)
    _safety(story, curator, sixth, 79)
    task(sixth, "Трудоустройство отца", curator.agency or kdn, 75, 20, status=TaskStatus.DONE,
         updated_days_ago=50)  # fmt: skip
    with story.at(10, 16):
        services.case_close(actor=kdn_user, case=sixth, ground=ClosureGround.CAUSES_REMOVED)
    # 3. СОП recognised by КДН, plan approved, some tasks overdue.
    third = open_case(families[2], 45)
    _safety(story, curator, third, 44)
    with story.at(40, 15):
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
    _recognise_sop(story, kdn_user, third, 38, "12/3")
    with story.at(37, 12):
        services.plan_update(
            actor=curator,
            plan=third.plan,
            expected_version=third.plan.version,
            goals="Восстановить посещение школы; лечение зависимости матери.",
            period_start=story.day(30),
            period_end=story.day(30 - 365),
        )
    with story.at(30, 17):
        services.kdn_session_record(
            actor=kdn_user,
            case=third,
            date=story.day(30),
            resolution_number="14/1",
            agenda="Об утверждении плана ИПР",
            resolution=Resolution.APPROVE_PLAN,
            resolution_text="Утвердить межведомственный план.",
        )
    task(third, "Ежедневный контроль посещаемости", school, 29, 10)
    task(third, "Акт обследования условий жизни", kdn, 29, 5, status=TaskStatus.DONE,
         updated_days_ago=26)  # fmt: skip
    if clinic is not None:
        task(third, "Консультация нарколога для матери", clinic, 29, 10, medical=True)
    if police is not None:
        task(third, "Профилактическая беседа ПДН", police, 3, 10)
    with story.at(20, 16):
        services.note_add(actor=curator, case=third, text="Мать согласилась на консультацию.")
    # 7. Not complete with a reason, overdue.
    seventh = open_case(families[6], 30)
    _safety(story, curator, seventh, 29)
    task(seventh, "Повторное обследование", school, 20, 5, status=TaskStatus.NOT_COMPLETE,
         updated_days_ago=12)  # fmt: skip
    # 2. Assessed, ТЖС, support tasks under way, one due this week.
    second = open_case(families[1], 12)
    _safety(story, curator, second, 11)
    with story.at(8, 15):
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
    task(second, "Оформить меры социальной поддержки", curator.agency or kdn, 8, 10,
         status=TaskStatus.IN_PROGRESS, updated_days_ago=6)  # fmt: skip
    # 8. Another curator of the same centre: a family in ТЖС, a task nobody is named for,
    # overdue (the centre's supervisor sees it on the home page).
    eighth = open_case(families[7], 14, second_curator)
    _safety(story, second_curator, eighth, 13)
    _task_maker(story, second_curator)(
        eighth, "Помощь в оформлении пособия", curator.agency or kdn, 12, 5
    )
    # 4. Immediate threat two days ago: emergency removal with the court-claim deadline.
    fourth = open_case(families[3], 2)
    _safety(story, curator, fourth, 2, threat=True)
    children = [m.person for m in families[3].memberships.filter(role=MemberRole.CHILD)]
    with story.at(2, 16):
        services.case_participant_add(actor=kdn_user, case=fourth, agency=opeka.agency)  # type: ignore[arg-type]
        services.emergency_removal_record(
            actor=opeka,
            assessment=fourth.safety_assessments.get(),
            children=children[:1],
            act_number="45-р",
            act_date=story.day(2),
            prosecutor_notified_on=story.day(2),
            placement="СРЦН «Радуга»",
            reason="Ребёнок 4 лет один дома ночью, мать в состоянии опьянения.",
        )
    # 1. Opened this morning: the safety assessment is still due.
    first = open_case(families[0], 0)
    demo_kdn.sittings(
        story, kdn_user, kdn, municipality, [second, seventh, eighth], [first, fourth]
    )
    return [fifth, sixth, third, seventh, second, eighth, fourth, first]


def _severogorsk(rng: random.Random, story: Story, municipality: Territory) -> list[Case]:
    """Two cases of another town, with its own curator, КДН and guardianship body (the
    guardianship specialist there, demo.opeka2, takes part in both)."""
    social = _agency(municipality, AgencyType.SOCIAL_PROTECTION)
    kdn = _agency(municipality, AgencyType.KDN)
    guardianship = _agency(municipality, AgencyType.GUARDIANSHIP)
    school = _agency(municipality, AgencyType.EDUCATION)
    curator = _member(social, Role.CASE_CURATOR)
    secretary = _member(kdn, Role.KDN_SECRETARY)
    families = _families(municipality, rng, 2)
    if None in (curator, secretary, guardianship, school) or not families:
        return []
    assert curator is not None and secretary is not None
    assert guardianship is not None and school is not None
    task = _task_maker(story, curator)
    cases = []
    for family, days_ago in zip(families, (25, 6), strict=True):
        with story.at(days_ago, 9):
            cases.append(
                services.case_open(
                    actor=secretary,
                    household=family,
                    curator=curator,
                    legal_basis="Постановление КДН и ЗП",
                    agencies=[guardianship, school],
                )
            )
        _safety(story, curator, cases[-1], days_ago - 1)
    sop, fresh = cases
    _recognise_sop(story, secretary, sop, 20, "7/2")
    task(sop, "Акт обследования условий жизни", guardianship, 19, 3)
    task(sop, "Контроль посещаемости", school, 19, 10, status=TaskStatus.IN_PROGRESS,
         updated_days_ago=15)  # fmt: skip
    task(fresh, "Обследование условий жизни", guardianship, 4, 5)
    return cases


def open_plan_tasks(region: Territory) -> QuerySet[Task]:
    """Unfinished, non-medical, non-legal plan tasks of the region's open cases, each with
    its case's curator, by case and due date."""
    return (
        Task.objects.filter(
            case__region=region, case__status=CaseStatus.OPEN, is_medical=False, is_legal=False
        )
        .exclude(status=TaskStatus.DONE)
        .select_related("case__curator")
        .order_by("case_id", "due_on", "pk")
    )


def open_cases_curated_by(username: str) -> list[Case]:
    """The open cases of the curator with this login, oldest first."""
    return list(
        Case.objects.filter(curator__username=username, status=CaseStatus.OPEN).order_by("pk")
    )


def past_level_set(*, case: Case, level: str) -> None:
    """Give a past case the level an assessment would have set (demo history carries no
    assessment, so no service sets it and nothing is audited: synthetic data only)."""
    Case.objects.filter(pk=case.pk).update(level=level)
