"""Real-browser walk of the monitoring pages with axe on each: the dashboard, an indicator
with its charts and tables, the list behind a number, form 103-РИК and the training
register; the analyst's dashboard has no link to a list."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from ochag.access.models import User
from ochag.browser_fixtures import axe_check
from ochag.cases.models import Case
from ochag.cases.tests.conftest import cc  # noqa: F401 - fixture
from ochag.conftest import Cast
from ochag.monitoring.tests.conftest import MonitoringCast
from ochag.monitoring.tests.test_risk_audit import audited  # noqa: F401 - fixture
from ochag.support.tests.conftest import sc  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Login = Callable[[Page, User], None]


def test_coordinator_walks_from_a_tile_to_its_list(
    browser_page: Page, live_login: Login, cast: Cast, mc: MonitoringCast
) -> None:
    page = browser_page
    live_login(page, cast.coordinator)
    page.goto("/monitoring/?period=2026")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Показатели")
    axe_check(page)
    page.get_by_role("link", name="Поступило сигналов").click()
    expect(page.get_by_role("heading", name="Динамика по месяцам")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="12", exact=True).first.click()
    expect(page.get_by_role("status")).to_contain_text("12")
    axe_check(page)
    page.goto("/monitoring/form-103/?year=2026")
    axe_check(page)
    page.goto("/monitoring/training/")
    axe_check(page)


def test_analyst_dashboard_has_no_lists(
    browser_page: Page, live_login: Login, cast: Cast, mc: MonitoringCast
) -> None:
    page = browser_page
    live_login(page, cast.analyst)
    page.goto("/monitoring/?period=2026")
    expect(page.get_by_text("менее 5").first).to_be_visible()
    assert page.locator("a[href*='/list/']").count() == 0
    axe_check(page)


def test_coordinator_declares_a_checklist_item(
    browser_page: Page, live_login: Login, cast: Cast
) -> None:
    page = browser_page
    live_login(page, cast.coordinator)
    page.goto("/monitoring/")
    page.get_by_role("link", name="Чек-лист проверки").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Чек-лист проверки")
    axe_check(page)
    page.locator("a[href$='/checklist/regional_programme/']").click()
    page.get_by_label("Документ", exact=True).fill("Постановление № 5")
    page.get_by_label("Дата документа").fill("31.02.2026")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_label("Документ", exact=True)).to_have_value("Постановление № 5")
    axe_check(page)
    page.get_by_label("Дата документа").fill("15.01.2026")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Чек-лист проверки")
    expect(page.get_by_text("Постановление № 5")).to_be_visible()
    axe_check(page)


def test_coordinator_asks_for_a_refresh_and_sees_when_the_data_is_from(
    browser_page: Page, live_login: Login, cast: Cast, mc: MonitoringCast
) -> None:
    from ochag.monitoring.services import indicator_values_refresh

    page = browser_page
    live_login(page, cast.coordinator)
    page.goto("/monitoring/?period=2026")
    expect(page.get_by_text("Числа посчитаны сейчас")).to_be_visible()
    page.get_by_role("button", name="Обновить сейчас").click()
    expect(page.get_by_text("Обновление поставлено в очередь")).to_be_visible()
    expect(page.get_by_text("Идёт обновление")).to_be_visible()
    expect(page.get_by_role("button", name="Обновить сейчас")).to_have_count(0)
    axe_check(page)
    indicator_values_refresh(region=cast.region)  # what the worker runs
    page.reload()
    expect(page.get_by_text("Данные на")).to_be_visible()
    expect(page.get_by_role("button", name="Обновить сейчас")).to_be_visible()


def test_risk_audit_groups_by_disability_and_says_what_stands_out(
    browser_page: Page,
    live_login: Login,
    cast: Cast,
    audited: tuple[Case, Case],  # noqa: F811
) -> None:
    page = browser_page
    live_login(page, cast.coordinator)
    page.goto("/monitoring/risk-audit/?period=2026")
    expect(page.get_by_role("table", name="Инвалидность ребёнка")).to_be_visible()
    expect(page.get_by_role("table", name="Инвалидность в семье (по сигналам)")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Что выделяется")
    # Family B's level was lowered for all five children, none of A's: marked, with a text
    # for screen readers.
    flags = page.locator(".audit__flag")
    expect(flags.filter(has_text="выше, чем у остальных детей").first).to_be_visible()
    axe_check(page)
