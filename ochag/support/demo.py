"""The demo region's help: providers and services in every municipality with realistic gaps,
and referrals in every state on demo.curator's cases. Built through the services, so the
audit log and the referral histories are real.

Gaps on purpose: the last two municipalities have no addiction rehabilitation, and the
regional centre's early help is full with a waiting list. АНО «Семья рядом» (demo.ngo's
agency) is the region's leading operator.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from ochag.access.models import Agency, AgencyType, User
from ochag.access.notifications import mail_suppressed
from ochag.cases.demo import open_cases_curated_by, open_plan_tasks
from ochag.cases.models import Case
from ochag.core.models import Territory
from ochag.signals.demo import support_signal_waiting
from ochag.support.models import (
    LegalBasis,
    Outcome,
    Provider,
    ProviderKind,
    Referral,
    ReferralStatus,
    Service,
    ServiceFormat,
    ServiceType,
)
from ochag.support.services import directory, needs, referrals

HOURS = "пн–пт 9:00–18:00"
INDICATORS = {
    "patronage": [
        "Первый визит не позднее 5 рабочих дней после приёма",
        "Индивидуальный план составлен вместе с семьёй",
        "Визиты не реже раза в неделю",
    ],
    "early-help": [
        "Оценка развития ребёнка в первые 10 рабочих дней",
        "Программа ранней помощи согласована с родителями",
    ],
    "rehabilitation": [
        "Начало программы не позднее 10 дней после приёма",
        "Ремиссия 6 месяцев подтверждена",
    ],
    "parenting": ["Посещено не менее 8 занятий из 10"],
}
CRITERIA = (
    "Услуга оказывается по индивидуальной программе; семья участвует в составлении плана; "
    "результат оценивается по показателям не реже раза в квартал."
)


def _phone(index: int, suffix: int) -> str:
    return f"+7 (8{index + 10:02d}) 2{suffix:02d}-{index:02d}-{suffix + 10:02d}"


def generate(*, rng: random.Random, region: Territory) -> dict[str, int]:
    # Synthetic agencies have no real mailboxes: the curators' notifications of the providers'
    # answers are recorded, no e-mail is queued.
    with mail_suppressed():
        return _generate(rng=rng, region=region)


def _generate(*, rng: random.Random, region: Territory) -> dict[str, int]:
    try:
        coordinator = User.objects.get(username="demo.coordinator")
    except User.DoesNotExist:
        return {}
    municipalities = list(
        Territory.objects.filter(parent=region, level=Territory.Level.MUNICIPALITY).order_by("pk")
    )
    if not municipalities:
        return {}
    types = {t.code: t for t in ServiceType.objects.all()}

    def service(
        provider: Provider, code: str, name: str, fmt: str, capacity: int, cost: int
    ) -> Service:
        return directory.service_create(
            actor=coordinator,
            provider=provider,
            type=types[code],
            name=name,
            format=fmt,
            capacity=capacity,
            cost_per_family_month=Decimal(cost),
            description=types[code].public_name,
            eligibility="Семьи с детьми, проживающие в муниципалитете",
            standard_name=f"Региональный стандарт: {types[code].name.lower()}",
            standard_criteria=CRITERIA,
            indicators=INDICATORS.get(code, ["Цель индивидуального плана достигнута"]),
        )

    def provider(
        name: str,
        kind: str,
        territory: Territory,
        served: list[Territory],
        phone: str,
        agency: Agency | None = None,
        leading: bool = False,
    ) -> Provider:
        return directory.provider_create(
            actor=coordinator,
            name=name,
            kind=kind,
            agency=agency,
            territory=territory,
            municipalities=served,
            phone=phone,
            email=agency.email if agency else "",
            address=f"{territory.name}, ул. Советская, {rng.randint(1, 60)}",
            hours=HOURS,
            is_leading_operator=leading,
        )

    services = 0
    ngo_agency = Agency.objects.filter(territory=region, type=AgencyType.NGO).first()
    ngo = provider(
        "АНО «Семья рядом»",
        ProviderKind.NGO,
        municipalities[0],
        municipalities,
        "8-800-100-20-30",
        agency=ngo_agency,
        leading=True,
    )
    ngo_services = {
        "patronage": service(
            ngo, "patronage", "Сопровождение семьи «Рядом»", ServiceFormat.HOME, 30, 9500
        ),
        "care-leavers": service(
            ngo, "care-leavers", "Наставничество для выпускников", ServiceFormat.DAY, 20, 6000
        ),
        "parenting": service(ngo, "parenting", "Клуб родителей", ServiceFormat.DAY, 40, 1500),
    }
    services += len(ngo_services)
    helpline = Agency.objects.filter(territory=region, type=AgencyType.HELPLINE).first()
    phone_line = provider(
        "Детский телефон доверия",
        ProviderKind.OTHER,
        region,
        municipalities,
        "8-800-2000-122",
        agency=helpline,
    )
    service(
        phone_line, "crisis-phone", "Телефон доверия, круглосуточно", ServiceFormat.REMOTE, 999, 0
    )
    ombudsman = provider(
        "Уполномоченный по правам ребёнка в Северо-Озёрской области",
        ProviderKind.OTHER,
        region,
        municipalities,
        "+7 (800) 300-40-50",
    )
    service(
        ombudsman, "rights", "Приём и жалобы о нарушении прав детей", ServiceFormat.REMOTE, 100, 0
    )
    institution = Agency.objects.filter(
        territory=municipalities[0], type=AgencyType.INSTITUTION
    ).first()
    shelter = provider(
        "СРЦН «Радуга»",
        ProviderKind.SRCN,
        municipalities[0],
        municipalities,
        "+7 (800) 500-60-70",
        agency=institution,
    )
    service(
        shelter,
        "crisis-shelter",
        "Кризисное отделение для мам с детьми",
        ServiceFormat.RESIDENTIAL,
        6,
        42000,
    )
    services += 3
    # Addiction rehabilitation: the regional dispensary, but not in the last two municipalities.
    dispensary = provider(
        "Областной наркологический диспансер",
        ProviderKind.CLINIC,
        municipalities[0],
        municipalities[:-2],
        "+7 (800) 700-80-90",
    )
    service(
        dispensary,
        "rehabilitation",
        "Реабилитация родителей с зависимостью",
        ServiceFormat.DAY,
        12,
        18000,
    )
    services += 1
    early_help: Service | None = None
    for index, mun in enumerate(municipalities, start=1):
        kcson_agency = Agency.objects.filter(
            territory=mun, type=AgencyType.SOCIAL_PROTECTION
        ).first()
        kcson = provider(
            f"КЦСОН — {mun.name}",
            ProviderKind.KCSON,
            mun,
            [mun],
            _phone(index, 1),
            agency=kcson_agency,
        )
        service(
            kcson, "patronage", "Социальный патронат семьи", ServiceFormat.HOME, 8 + index % 5, 7000
        )
        service(kcson, "material-aid", "Продуктовые наборы и одежда", ServiceFormat.DAY, 50, 2500)
        service(kcson, "legal-aid", "Консультации юриста", ServiceFormat.DAY, 25, 800)
        services += 3
        if index % 3 == 0:
            service(
                kcson, "housing-repair", "Помощь с ремонтом жилья", ServiceFormat.HOME, 2, 15000
            )
            services += 1
        clinic_agency = Agency.objects.filter(territory=mun, type=AgencyType.HEALTH).first()
        if clinic_agency is not None:
            clinic = provider(
                f"Детская поликлиника — {mun.name}",
                ProviderKind.CLINIC,
                mun,
                [mun],
                _phone(index, 2),
                agency=clinic_agency,
            )
            # The regional centre's early help is small for its demand: it has a waiting list.
            early = service(
                clinic,
                "early-help",
                "Служба ранней помощи",
                ServiceFormat.DAY,
                2 if index == 1 else 6,
                12000,
            )
            service(
                clinic,
                "disability",
                "Реабилитация детей с инвалидностью",
                ServiceFormat.DAY,
                10,
                16000,
            )
            services += 2
            if index == 1:
                early_help = early
        if index <= 3:
            school_agency = Agency.objects.filter(territory=mun, type=AgencyType.EDUCATION).first()
            school = provider(
                f"Средняя школа № {index} — {mun.name}",
                ProviderKind.SCHOOL,
                mun,
                [mun],
                _phone(index, 3),
                agency=school_agency,
            )
            service(school, "parenting", "Родительский университет", ServiceFormat.DAY, 30, 0)
            services += 1
    sent = _referrals(ngo_services, early_help) + _from_signal(ngo_services["patronage"])
    tagged = _needs(region, types)
    return {
        "providers": Provider.objects.count(),
        "services": services,
        "referrals": sent,
        "task_needs": tagged,
    }


def _from_signal(patronage: Service) -> int:
    """A signal offered support: its handler refers the family before any case is opened."""
    signal = support_signal_waiting()
    handler = (
        User.objects.filter(agency=signal.routed_to, is_active=True).order_by("pk").first()
        if signal is not None
        else None
    )
    if signal is None or handler is None:
        return 0
    referrals.referral_send_with_consent(
        actor=handler,
        signal=signal,
        service=patronage,
        consent=referrals.ConsentData(
            basis=LegalBasis.CONSENT,
            given_by="мать, со слов при звонке",
            given_on=timezone.localdate(),
            scope="Адрес, состав семьи, просьба о помощи",
        ),
        summary="Семья сама просит помощи: не хватает денег, мама одна с детьми.",
        waiting_list_ok=True,
    )
    return 1


# What the demo plan tasks need, in turn, and how the family reads each. Housing repair is
# missing in the two municipalities with cases: the coverage table shows the gap.
NEEDS = (
    ("patronage", "Встречаться со специалистом по сопровождению семьи раз в неделю"),
    ("housing-repair", "Вместе с соцработником составить список ремонта в квартире"),
    ("parenting", "Ходить на занятия «Школы для родителей» по средам"),
    ("material-aid", "Получить продуктовый набор и зимнюю одежду для детей"),
    ("rehabilitation", "Пройти программу помощи при зависимости"),
    ("early-help", "Прийти с малышом на оценку развития в службу ранней помощи"),
)


def _needs(region: Territory, types: dict[str, ServiceType]) -> int:
    """Tag the first unfinished plan task of every open case with a need; the family sees it."""
    tasks = open_plan_tasks(region)
    seen: set[int] = set()
    for task in tasks:
        if task.case_id in seen:
            continue
        code, text = NEEDS[len(seen) % len(NEEDS)]
        seen.add(task.case_id)
        needs.task_need_save(
            actor=task.case.curator,
            task=task,
            expected_version=0,
            need=types[code],
            shown_to_family=True,
            family_text=text,
        )
    return len(seen)


def _referrals(ngo_services: dict[str, Service], early_help: Service | None) -> int:
    """Referrals in every state on demo.curator's open cases."""
    try:
        ngo_user = User.objects.get(username="demo.ngo")
        clinic_user = User.objects.get(username="demo.clinic")
    except User.DoesNotExist:
        return 0
    cases = open_cases_curated_by("demo.curator")
    if not cases:
        return 0
    today = timezone.localdate()

    def refer(case: Case, service: Service) -> Referral:
        return referrals.referral_send_with_consent(
            actor=case.curator,
            case=case,
            service=service,
            consent=referrals.ConsentData(
                basis=LegalBasis.CONSENT,
                given_by="мать, " + str(case.household),
                given_on=today - dt.timedelta(days=2),
                scope="Состав семьи, адрес, потребность в помощи",
            ),
            summary="Мама одна воспитывает детей, просит помочь с режимом дня и бюджетом семьи.",
            waiting_list_ok=True,
        )

    def answer(referral: Referral, actor: User, status: str, **kwargs: object) -> Referral:
        return referrals.referral_answer(
            actor=actor,
            referral=referral,
            expected_version=referral.version,
            status=status,
            **kwargs,  # type: ignore[arg-type]
        )

    made = 0
    patronage, parenting, leavers = (
        ngo_services["patronage"],
        ngo_services["parenting"],
        ngo_services["care-leavers"],
    )
    for i, case in enumerate(cases):
        state = i % 6
        referral = refer(case, (patronage, parenting, leavers)[i % 3])
        made += 1
        if state == 0:
            continue  # sent, awaiting the NGO's answer
        if state == 1:
            answer(referral, ngo_user, ReferralStatus.WAITING)
            continue
        if state == 2:
            answer(
                referral, ngo_user, ReferralStatus.DECLINED, reason="Семья не проживает по адресу"
            )
            continue
        referral = answer(referral, ngo_user, ReferralStatus.ACCEPTED, start_date=today)
        if state == 4:
            referral = answer(referral, ngo_user, ReferralStatus.IN_PROGRESS)
        if state == 5:
            referral = answer(
                referral,
                ngo_user,
                ReferralStatus.COMPLETED,
                outcome=Outcome.REACHED,
                reason="Семья справляется без сопровождения",
            )
    withdrawn = refer(cases[0], parenting)
    referrals.referral_withdraw(
        actor=cases[0].curator,
        referral=withdrawn,
        expected_version=withdrawn.version,
        reason="Семья выбрала занятия в школе",
    )
    made += 1
    if early_help is not None:
        # Early help in the regional centre: both places taken, one family waiting.
        for case in cases[:3]:
            referral = refer(case, early_help)
            made += 1
            if (
                early_help.capacity
                > Referral.objects.filter(
                    service=early_help, status=ReferralStatus.ACCEPTED
                ).count()
            ):
                answer(referral, clinic_user, ReferralStatus.ACCEPTED, start_date=today)
            else:
                answer(referral, clinic_user, ReferralStatus.WAITING)
    return made
