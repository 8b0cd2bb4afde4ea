"""The protocol of a placement commission's sitting, printed like the КДН resolution (the
cases app's PDF mechanism: embedded Cyrillic fonts, «Конфиденциально», page N of M, print
date and user). An official document is in Russian whatever the interface language."""

from __future__ import annotations

from django.utils import translation
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from ochag.care.models import AgendaItem, Sitting
from ochag.core import pdf


def render(
    sitting: Sitting, items: list[AgendaItem], members: list[str], stamp: pdf.Stamp
) -> bytes:
    with translation.override("ru"):
        story: list[Flowable] = [
            pdf.facts_table(
                [
                    ("Дата", f"{sitting.date:%d.%m.%Y}"),
                    ("Место", sitting.place),
                    ("Присутствовали", "; ".join(members)),
                    ("Основание", sitting.commission.legal_source or "—"),
                ]
            ),
            Spacer(1, 4 * mm),
            pdf.p("Рассмотрены вопросы обоснованности пребывания детей в организациях:", "body"),
        ]
        for number, item in enumerate(items, start=1):
            p = item.placement
            decision = item.get_decision_display() if item.decision else "решение не принято"
            if item.justified_until:
                decision += f" {item.justified_until:%d.%m.%Y}"
            confirmed = (
                "подтверждено председателем и секретарём"
                if item.is_confirmed
                else "не подтверждено"
            )
            story += [
                Spacer(1, 3 * mm),
                pdf.p(
                    f"{number}. {p.child.last_name} {p.child.first_name} {p.child.patronymic}, "
                    f"{p.child.birth_year or ''} г. р., {p.institution.name}; "
                    f"{item.get_kind_display().lower()}",
                    "body",
                ),
                pdf.facts_table(
                    [
                        ("Основание помещения", p.get_ground_display()),
                        ("Помещён(а)", f"{p.admitted_on:%d.%m.%Y}"),
                        ("РЕШИЛА", decision),
                        ("Обоснование", item.reasons or "—"),
                        ("Мера", item.get_action_display() if item.action else "—"),
                        ("Подтверждение", confirmed),
                    ]
                ),
            ]
        story += [
            Spacer(1, 10 * mm),
            pdf.p("Председатель комиссии ____________________", "body"),
            Spacer(1, 6 * mm),
            pdf.p("Секретарь комиссии ____________________", "body"),
        ]
        return pdf.render(
            title=f"ПРОТОКОЛ № {sitting.number} заседания: {sitting.commission.name}",
            stamp=stamp,
            story=story,
        )
