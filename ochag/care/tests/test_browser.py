"""Real-browser walk of the care pages with axe on each: the register and an institution,
the children list and a child's page, and the commission's flow — the secretary puts a child
on the agenda, a member decides «not justified», the chair and the secretary confirm."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ochag.access.models import User
from ochag.browser_fixtures import axe_check
from ochag.care.models import Placement
from ochag.care.services import commission, institutions
from ochag.care.tests.conftest import CareCast
from ochag.care.tests.test_placements import admit
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Login = Callable[[Page, User], None]


def test_register_and_children_pages(
    browser_page: Page, live_login: Login, cast: Cast, care: CareCast
) -> None:
    page = browser_page
    placement = admit(cast, care)
    live_login(page, cast.coordinator)
    page.goto("/care/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Приют «Маяк»").click()
    expect(page.get_by_text("Удалённое").first).to_be_visible()
    axe_check(page)
    page.goto("/care/children/")
    axe_check(page)
    page.get_by_role("link", name="Сидоров Ваня Сергеевна").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Сидоров")
    axe_check(page)
    page.goto(f"/care/children/{placement.pk}/overseer/")
    axe_check(page)
    page.goto("/care/costs/")
    axe_check(page)


def test_commission_flow(
    browser_page: Page, live_login: Login, cast: Cast, care: CareCast, cc: CaseCast
) -> None:
    page = browser_page
    placement: Placement = admit(
        cast, care, child=cc.children[1], household=cc.family, institution=care.shelter
    )
    sitting = commission.sitting_create(
        actor=care.secretary,
        commission=care.commission,
        date=timezone.localdate() + dt.timedelta(days=1),
        place="Зал 2",
    )
    live_login(page, care.secretary)
    page.goto("/care/reviews/?due=waiting")
    axe_check(page)
    page.get_by_label("Петров Борис").check()
    page.get_by_role("button", name="Включить в повестку").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("заседание")
    axe_check(page)
    live_login(page, care.member)
    page.goto(f"/care/sittings/{sitting.pk}/")
    page.get_by_role("link", name="Петров Борис").click()
    axe_check(page)
    page.get_by_label("Помещение не обосновано").check()
    page.get_by_label("Обоснование").fill("Печь отремонтирована, мать готова забрать ребёнка")
    page.get_by_label("Мера").select_option(label="Подготовить возвращение домой")
    page.get_by_role("button", name="Записать решение").click()
    expect(page.get_by_text("Решение записано")).to_be_visible()
    for user in (care.chair, care.secretary):
        live_login(page, user)
        page.goto(page.url if page.url.startswith("http") else "/")
        page.goto(f"/care/sittings/{sitting.pk}/items/{placement.reviews.get().pk}/")
        page.get_by_role("button", name="Подтвердить решение").click()
        expect(page.get_by_text("Вы подтвердили решение")).to_be_visible()
    placement.refresh_from_db()
    assert placement.family_case_id is not None and placement.plan_opened_on is not None


def test_membership_and_task_pages(
    browser_page: Page, live_login: Login, cast: Cast, care: CareCast, cc: CaseCast
) -> None:
    page = browser_page
    institutions.incident_record(
        actor=cast.coordinator,
        institution=care.home,
        kind="complaint",
        occurred_on=timezone.localdate(),
        description="Жалоба",
        follow_up="Проверка питания",
        follow_up_agency=cast.agency_b,
    )
    live_login(page, cast.coordinator)
    page.goto(f"/care/commissions/{care.commission.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Межведомственная комиссия")
    axe_check(page)
    page.get_by_label("Член комиссии", exact=True).select_option(
        label=f"{cc.doctor.get_full_name()} — {cc.clinic}"
    )
    page.get_by_label("Роль в комиссии").select_option(label="Председатель")
    page.get_by_role("button", name="Включить", exact=True).click()
    expect(page.get_by_text("уже есть председатель").first).to_be_visible()
    axe_check(page)
    page.get_by_label("Роль в комиссии").select_option(label="Член комиссии")
    page.get_by_role("button", name="Включить", exact=True).click()
    expect(page.get_by_text("включён(а) в состав комиссии")).to_be_visible()
    expect(page.get_by_role("row", name=cc.doctor.get_full_name())).to_be_visible()
    page.goto("/care/follow-ups/")
    expect(page.get_by_text("Проверка питания")).to_be_visible()
    axe_check(page)
    page.goto("/care/milestones/")
    axe_check(page)
