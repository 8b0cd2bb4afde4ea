"""The demo КДН of Озёрск: its commission, a sitting five days ago that decided on three
families, and next week's with two on its agenda, parents invited, not decided yet."""

from __future__ import annotations

import datetime as dt

from ochag.access.models import Agency, User
from ochag.cases import selectors, services
from ochag.cases.demo_story import Story
from ochag.cases.models import Case, CommissionRole, Resolution
from ochag.cases.resolution import established_draft
from ochag.core.models import Territory

COMMISSION_MEMBERS = [
    ("Гришин Алексей Викторович", "заместитель главы администрации", CommissionRole.CHAIR),
    ("Лебедева Ирина Павловна", "начальник управления образования", CommissionRole.DEPUTY),
    ("Мартынова Светлана Юрьевна", "ответственный секретарь КДН и ЗП", CommissionRole.SECRETARY),
    ("Козлов Андрей Николаевич", "начальник ОДН ОМВД", CommissionRole.MEMBER),
    ("Фролова Наталья Сергеевна", "заведующая педиатрическим отделением", CommissionRole.MEMBER),
    ("Зайцева Елена Владимировна", "директор КЦСОН", CommissionRole.MEMBER),
    ("Соколов Михаил Игоревич", "начальник отдела опеки и попечительства", CommissionRole.MEMBER),
]


DECISIONS = [
    (Resolution.APPROVE_PLAN, "Утвердить межведомственный план ИПР семьи.",
     "Оформить меры социальной поддержки семьи"),
    (Resolution.CHANGE_PLAN, "Внести изменения в план: повторное обследование.",
     "Повторно обследовать условия жизни детей"),
    (Resolution.OTHER, "Принять к сведению информацию куратора о положении семьи.",
     "Представить информацию о выполнении плана"),
]  # fmt: skip


def sittings(
    story: Story,
    kdn_user: User,
    kdn: Agency,
    municipality: Territory,
    decided: list[Case],
    planned: list[Case],
) -> None:
    with story.at(60, 10):
        commission = services.commission_set_up(
            actor=kdn_user,
            agency=kdn,
            full_name="Комиссия по делам несовершеннолетних и защите их прав при администрации "
            f"муниципального образования «{municipality.name}»",
            municipality_name=f"{municipality.name}, {municipality.region or municipality}",
            regional_law="Законом Северо-Озёрской области от 12.03.2014 № 21-ОЗ «О комиссиях "
            "по делам несовершеннолетних и защите их прав»",
            address="ул. Советская, 12, зал заседаний",
            members=[services.MemberData(n, p, r) for n, p, r in COMMISSION_MEMBERS],
        )
        held = services.sitting_schedule(
            actor=kdn_user,
            commission=commission,
            number="16",
            date=story.day(5),
            time=dt.time(14, 0),
            place=commission.address,
            other_matters="Об итогах межведомственной операции «Подросток»\n"
            "О плане работы комиссии на следующее полугодие",
        )
    with story.at(7, 11):
        for case in decided:
            services.sitting_case_add(
                actor=kdn_user, sitting=held, case=case, invite=selectors.parents_to_invite(case)
            )
    with story.at(5, 16):
        members = list(commission.members.order_by("pk"))
        services.sitting_attendance_record(
            actor=kdn_user,
            sitting=held,
            present=members[:5],
            chair=members[0],
            secretary=members[2],
        )
        for item, (resolution, first_point, task_point) in zip(
            held.items.order_by("order"), DECISIONS, strict=False
        ):
            services.sitting_decision_record(
                actor=kdn_user,
                item=item,
                resolution=resolution,
                established=established_draft(item.case),
                points=[
                    services.PointData(first_point),
                    services.PointData(
                        task_point, item.case.curator.agency, story.day(5) + dt.timedelta(days=30)
                    ),
                ],
                attendance={i.pk: n % 2 == 0 for n, i in enumerate(item.invitees.all())},
            )
    with story.at(0, 9):
        upcoming = services.sitting_schedule(
            actor=kdn_user,
            commission=commission,
            number="17",
            date=story.day(-7),
            time=dt.time(14, 0),
            place=commission.address,
        )
        for case in planned:
            services.sitting_case_add(
                actor=kdn_user,
                sitting=upcoming,
                case=case,
                invite=selectors.parents_to_invite(case),
            )
