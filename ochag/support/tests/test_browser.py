"""Real-browser checks of every support page, with axe on each: the public directory on a
phone without JavaScript, the family's page, and the staff flow of a referral."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from ochag.access.models import Agency
from ochag.browser_fixtures import axe_check
from ochag.cases.models import Case
from ochag.conftest import Cast
from ochag.support.models import Referral, ReferralStatus
from ochag.support.services import family
from ochag.support.tests.conftest import SupportCast
from ochag.support.tests.test_coverage import need, plan_task
from ochag.support.tests.test_signal_referrals import make_handler, make_offered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _search_early_help_in_b(page: Page) -> None:
    page.goto("/nearby/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Помощь рядом")
    page.get_by_label("Где вы живёте?").select_option(label="Район Б")
    page.get_by_label("Вид помощи").select_option(label="Реабилитация родителей с зависимостью")
    page.get_by_role("button", name="Найти помощь").click()
    expect(page.get_by_role("link", name="+7 (812) 000-00-00")).to_be_visible()
    expect(page.get_by_text("Служба ранней помощи")).to_have_count(0)


def test_help_nearby_works_without_javascript(
    browser: Browser,
    live_server,
    cast: Cast,
    sc: SupportCast,  # type: ignore[no-untyped-def]
) -> None:
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    # axe needs scripts: the accessibility check runs in the next test, on a phone.
    _search_early_help_in_b(page)
    context.close()


def test_help_nearby_on_a_phone(browser_page: Page, cast: Cast, sc: SupportCast) -> None:
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/nearby/")
    axe_check(page)
    _search_early_help_in_b(page)
    axe_check(page)
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_family_opens_its_page_with_the_code(
    browser_page: Page, cast: Cast, sc: SupportCast, case: Case
) -> None:
    page = browser_page
    _link, code = family.family_link_issue(actor=case.curator, case=case, days=30)
    page.goto("/family/")
    axe_check(page)
    page.get_by_label("Код из памятки").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Открыть страницу").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("не открывает страницу")
    axe_check(page)
    page.get_by_label("Код из памятки").fill(code.lower())
    page.get_by_role("button", name="Открыть страницу").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Страница вашей семьи")
    expect(page.get_by_text(case.curator.last_name)).to_be_visible()
    axe_check(page)


def test_a_referral_from_sending_to_completion(
    browser_page: Page,
    live_login,
    cast: Cast,
    sc: SupportCast,
    case: Case,  # type: ignore[no-untyped-def]
) -> None:
    page = browser_page
    live_login(page, case.curator)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Помощь и направления").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Помощь по случаю")
    axe_check(page)
    page.get_by_role("link", name="Направить на услугу").click()
    axe_check(page)
    page.get_by_label(re.compile("Служба ранней помощи")).check()
    page.get_by_label("Что нужно знать поставщику").fill("Маме нужна помощь с малышом")
    page.get_by_role("button", name="Отправить направление").click()
    # No consent recorded: the summary takes focus and what was typed stays.
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.get_by_label("Что нужно знать поставщику")).to_have_value(
        "Маме нужна помощь с малышом"
    )
    axe_check(page)
    page.get_by_label("Согласие дал(а) (ФИО родителя)").fill("Петрова Вера Ивановна")
    page.get_by_label("Дата согласия или документа").fill("20.11.2026")
    page.get_by_label("На что согласилась семья (объём согласия)").fill("Состав семьи")
    page.get_by_role("button", name="Отправить направление").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Служба ранней помощи")
    axe_check(page)
    referral = Referral.objects.get()

    live_login(page, sc.ngo_worker)
    page.goto("/support/referrals/?for=us")
    axe_check(page)
    page.get_by_role("link", name=f"№ {referral.pk}").click()
    page.get_by_label("Принять").check()
    page.get_by_label("Дата начала (при приёме)").fill("01.12.2026")
    page.get_by_role("button", name="Сохранить ответ").click()
    expect(page.locator(".notice")).to_contain_text("Ответ сохранён")
    axe_check(page)
    page.get_by_label("Завершить").check()
    page.get_by_label("Результат (при завершении)").select_option(label="Цель достигнута")
    page.get_by_role("button", name="Сохранить ответ").click()
    expect(page.locator(".notice")).to_contain_text("Ответ сохранён")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED

    live_login(page, case.curator)
    page.goto(f"/cases/{case.pk}/timeline/")
    expect(page.get_by_text(f"Направление № {referral.pk}").first).to_be_visible()
    page.goto(f"/support/cases/{case.pk}/family-link/")
    axe_check(page)
    page.get_by_role("button", name="Выдать код").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Памятка для семьи")
    axe_check(page)


@pytest.mark.parametrize("who", ["coordinator", "ngo_head"])
def test_directory_screens_are_accessible(
    browser_page: Page,
    live_login,
    cast: Cast,
    sc: SupportCast,
    who: str,  # type: ignore[no-untyped-def]
) -> None:
    page = browser_page
    live_login(page, getattr(cast, who, None) or getattr(sc, who))
    paths = [
        "/support/",
        f"/support/providers/{sc.provider.pk}/",
        f"/support/providers/{sc.provider.pk}/edit/",
        f"/support/providers/{sc.provider.pk}/services/new/",
        f"/support/services/{sc.early_help.pk}/edit/",
        "/support/catalogue/",
        "/support/referrals/",
    ]
    if who == "coordinator":
        paths += ["/support/providers/new/", "/support/catalogue/new/"]
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        axe_check(page)


def test_coverage_table_opens_the_services_of_a_cell(
    browser_page: Page,
    live_login,
    cast: Cast,
    sc: SupportCast,
    case: Case,  # type: ignore[no-untyped-def]
) -> None:
    need(case, "rehabilitation")
    page = browser_page
    live_login(page, cast.coordinator)
    page.goto("/support/")
    page.get_by_role("link", name="Обеспеченность услугами").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Обеспеченность услугами")
    expect(page.locator(".notice--error")).to_contain_text("1 потребность")
    axe_check(page)
    page.get_by_role(
        "link", name=re.compile("Реабилитация родителей с зависимостью, Район Б")
    ).click()
    expect(page.get_by_role("link", name="Реабилитация родителей", exact=True)).to_be_visible()
    axe_check(page)


def test_a_referral_from_a_signal_offered_support(
    browser_page: Page,
    live_login,
    checklist: None,
    bodies: dict[str, Agency],
    cast: Cast,
    sc: SupportCast,  # type: ignore[no-untyped-def]
) -> None:
    signal = make_offered(cast)
    page = browser_page
    live_login(page, make_handler(signal))
    page.goto(f"/signals/{signal.pk}/")
    page.get_by_role("link", name="Направить семью на услугу").click()
    axe_check(page)
    page.get_by_label(re.compile("Социальный патронат")).check()
    page.get_by_label("Что нужно знать поставщику").fill("Маме нужна помощь с бюджетом")
    page.get_by_label("Согласие дал(а) (ФИО родителя)").fill("Иванова Мария Петровна")
    page.get_by_label("Дата согласия или документа").fill("20.11.2026")
    page.get_by_label("На что согласилась семья (объём согласия)").fill("Адрес и состав семьи")
    page.get_by_role("button", name="Отправить направление").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Социальный патронат")
    page.get_by_role("link", name="← Сигнал").click()
    expect(page.get_by_role("link", name=re.compile("«Социальный патронат»"))).to_be_visible()
    axe_check(page)


def test_from_a_plan_task_to_the_family_page_and_a_referral(
    browser_page: Page,
    live_login,
    cast: Cast,
    sc: SupportCast,
    case: Case,  # type: ignore[no-untyped-def]
) -> None:
    task = plan_task(case, "Помочь маме с малышом")
    page = browser_page
    live_login(page, case.curator)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name=re.compile(f"Потребность и страница семьи.*{task.title}")).click()
    axe_check(page)
    page.get_by_label("Какая помощь нужна по задаче").select_option(
        label="Ранняя помощь детям 0–3 лет"
    )
    page.get_by_label("Показывать задачу на странице семьи").check()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    axe_check(page)
    page.get_by_label("Задача простыми словами для семьи").fill("Прийти с малышом на оценку")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("видна семье")).to_be_visible()
    page.get_by_role("link", name=re.compile(f"Направить на услугу.*{task.title}")).click()
    expect(page.get_by_label(re.compile("Служба ранней помощи"))).to_be_checked()
    axe_check(page)
