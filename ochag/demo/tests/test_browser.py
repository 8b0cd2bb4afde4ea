"""The home page as every demo role, through a real browser with axe, and the pages its lines
open: the filtered signal queue (whom each signal is about), task and case lists, and a
signal's detail with its subjects' birth dates."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ochag.access.models import User
from ochag.browser_fixtures import axe_check
from ochag.demo.generator import DEMO_ACCOUNTS, generate_region
from ochag.signals.tests.conftest import checklist  # noqa: F401 - the indicators' seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_as_every_demo_role(browser_page: Page, live_login, checklist) -> None:  # noqa: F811
    generate_region(seed=7, persons=1500, staff=200)
    page = browser_page
    for login, *_ in DEMO_ACCOUNTS:
        user = User.objects.get(username=f"demo.{login}")
        live_login(page, user)
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Здравствуйте")
        axe_check(page)
        if login == "analyst":
            expect(page.locator(".worklist")).to_have_count(0)
            continue
        expect(page.locator(".worklist").first).to_be_visible()
        # Every line is a link; the first one opens its list, which says how many rows.
        line = page.locator(".worklist__line > a").first
        count = line.locator(".worklist__count").inner_text()
        line.click()
        expect(page.locator(".table-count")).to_have_text(re.compile(rf"^{count}\D"))
        axe_check(page)

    live_login(page, User.objects.get(username="demo.opeka"))
    page.goto("/")
    expect(page.locator(".worklist--urgent")).to_contain_text("с момента получения")
    page.get_by_role("link", name="Красные сигналы, ждущие оценки безопасности").click()
    expect(page.get_by_role("columnheader", name="О ком")).to_be_visible()
    axe_check(page)
    page.locator("tbody a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Сигнал")
    axe_check(page)
