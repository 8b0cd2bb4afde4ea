"""Real-browser checks of the shell and the access screens, with axe on every page."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from ochag.access.models import User
from ochag.browser_fixtures import axe_check
from ochag.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_password_and_two_factor_enrolment(browser_page: Page, cast) -> None:
    page = browser_page
    page.goto("/")
    assert "/account/login/" in page.url
    axe_check(page)
    # Wrong password: the error summary takes focus, the login stays typed.
    page.get_by_label("Логин").fill("worker_a")
    page.get_by_label("Пароль").fill("wrong")
    page.get_by_role("button", name="Войти").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Неверный логин или пароль")
    expect(page.get_by_label("Логин")).to_have_value("worker_a")
    axe_check(page)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Настройка двухфакторной аутентификации"
    )
    axe_check(page)
    import pyotp

    secret = User.objects.get(username="worker_a").totp_secret
    page.get_by_label("Код из приложения-аутентификатора").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Здравствуйте")
    axe_check(page)


def test_skip_link_and_landmarks(browser_page: Page, cast, live_login) -> None:
    page = browser_page
    live_login(page, cast.worker_a)
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти к основному содержанию")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert page.locator("header").count() == 1
    assert page.get_by_role("navigation", name="Главное меню").count() == 1


@pytest.mark.parametrize("who", ["worker_a", "supervisor_a", "coordinator", "admin", "analyst"])
def test_every_shell_page_is_accessible(browser_page: Page, cast, live_login, who: str) -> None:
    page = browser_page
    user = getattr(cast, who)
    live_login(page, user)
    paths = [
        "/",
        "/help/",
        "/account/agencies/",
        f"/account/agencies/{cast.agency_a.pk}/",
        f"/account/staff/{user.pk}/",
        "/account/staff/",
    ]
    if who in ("coordinator", "admin"):
        paths += ["/audit/", "/audit/?action=login&date_from=2020-01-01"]
    if who == "admin":
        paths += [
            "/account/agencies/new/",
            f"/account/agencies/{cast.agency_a.pk}/edit/",
            "/account/staff/new/",
            f"/account/staff/{cast.worker_a.pk}/edit/",
        ]
    for path in paths:
        response = page.goto(path)
        assert (response is not None and response.status < 400) or who == "analyst", path
        axe_check(page)


def test_agency_form_error_summary_in_browser(browser_page: Page, cast, live_login) -> None:
    page = browser_page
    live_login(page, cast.admin)
    page.goto("/account/agencies/new/")
    page.get_by_label("Название", exact=True).fill("Центр «Вместе»")
    page.get_by_role("button", name="Сохранить").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Название", exact=True)).to_have_value("Центр «Вместе»")
    summary.get_by_role("link").first.click()
    axe_check(page)


def test_language_switch_to_english_and_back(browser_page: Page, cast, live_login) -> None:
    page = browser_page
    live_login(page, cast.worker_a)
    page.goto("/help/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Help")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Русский").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Помощь")


def test_session_timeout_warning_and_continue(
    browser_page: Page, cast, live_login, settings
) -> None:
    settings.SESSION_IDLE_SECONDS = 124
    settings.SESSION_WARNING_SECONDS = 120
    page = browser_page
    live_login(page, cast.worker_a)
    page.goto("/help/")
    dialog = page.locator("#session-timeout")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(page.get_by_role("button", name="Продолжить работу")).to_be_focused()
    page.get_by_role("button", name="Продолжить работу").click()
    expect(dialog).to_be_hidden()


def test_analyst_sees_no_personal_data_notice(browser_page: Page, cast, live_login) -> None:
    page = browser_page
    live_login(page, cast.analyst)
    page.goto("/")
    expect(page.get_by_text("только сводные показатели")).to_be_visible()


def test_background_polls_do_not_restart_the_countdown(
    browser_page: Page, cast, live_login, settings
) -> None:
    """Issue 12 #1: the header bell's poll used to restart the countdown, so it never ran out."""
    settings.SESSION_IDLE_SECONDS = 20
    settings.SESSION_WARNING_SECONDS = 10
    page = browser_page
    live_login(page, cast.worker_a)
    marked: list[str | None] = []
    page.on(
        "request",
        lambda req: (
            marked.append(req.headers.get("x-ochag-background"))
            if "/notifications/bell/" in req.url
            else None
        ),
    )
    page.goto("/help/")
    started = time.monotonic()
    expect(page.locator(".header-widget")).not_to_be_empty()
    page.wait_for_timeout(5_000)
    # What the bell's "every 60s" does, five seconds after the page loaded.
    page.evaluate(
        "htmx.ajax('GET', document.querySelector('.header-widget').getAttribute('hx-get'),"
        " {target: '.header-widget'})"
    )
    dialog = page.locator("#session-timeout")
    expect(dialog).to_be_visible(timeout=15_000)
    # Ten seconds after the page loaded, not ten seconds after the poll.
    assert time.monotonic() - started < 13.5
    assert marked and all(value == "1" for value in marked)
    # Nobody answers the dialog: the page goes to the login page, which says why, and the
    # server has ended the session too.
    expect(page).to_have_url(re.compile(r"/account/login/\?expired=1"), timeout=15_000)
    expect(page.get_by_text("Сеанс завершён после периода бездействия")).to_be_visible()
    axe_check(page)
    page.wait_for_timeout(1_000)
    page.goto("/account/agencies/")
    assert "/account/login/" in page.url


def test_admin_issues_rotates_and_revokes_a_token(browser_page: Page, cast, live_login) -> None:
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    live_login(page, cast.admin)
    page.goto(f"/account/agencies/{cast.agency_a.pk}/")
    page.get_by_role("link", name="Токены API").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Токены API")
    axe_check(page)
    page.get_by_role("button", name="Выпустить").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    page.get_by_label("Название").fill("МИС Озёрск")
    page.get_by_role("button", name="Выпустить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Токен выпущен")
    raw = page.locator("[data-token]").inner_text()
    assert raw.startswith("och_")
    axe_check(page)
    page.get_by_role("link", name="К токенам организации").click()
    row = page.get_by_role("row", name=re.compile("МИС Озёрск"))
    expect(row).to_contain_text("Действует")
    assert raw not in page.content()
    axe_check(page)
    row.get_by_role("button", name=re.compile("Заменить")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Токен выпущен")
    assert page.locator("[data-token]").inner_text() != raw
    page.get_by_role("link", name="К токенам организации").click()
    page.get_by_role("row", name=re.compile("МИС Озёрск")).first.get_by_role(
        "button", name=re.compile("Отозвать")
    ).click()
    expect(page.get_by_text("Токен отозван")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Отозван"))).to_have_count(1)
    axe_check(page)


def test_unlock_page_is_accessible(browser_page: Page, cast) -> None:
    from ochag.access.lockout import unlock_token

    page = browser_page
    page.goto(f"/account/unlock/{unlock_token(cast.worker_a)}/")
    expect(page.get_by_role("button", name="Это мой браузер")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Это мой браузер").click()
    expect(page.get_by_text("Теперь из этого браузера можно войти")).to_be_visible()


def _tab_to(page: Page, selector: str, presses: int = 80) -> bool:
    """Press Tab until the element ``selector`` has the focus; False when it never does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === document.querySelector({selector!r})"):
            return True
    return False


def test_a_table_wider_than_the_window_is_a_focusable_named_region(
    browser_page: Page, cast, live_login
) -> None:
    import datetime as dt

    from ochag.core.services import audit_record, calendar_override_set

    # A reason with no space to break at: the table cannot fit a phone's width.
    calendar_override_set(actor=cast.coordinator, region=cast.region, date=dt.date(2026, 12, 31),
                          is_working=False, reason="Постановление-губернатора-" * 4)  # fmt: skip
    for n in range(3):
        audit_record(actor=cast.coordinator, action="viewed", object_label=f"Запись {n}",
                     territory=cast.municipality_a)  # fmt: skip
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})

    # The calendar's table is not wrapped by its template: the script wraps it. The worker
    # has no «Remove» buttons, so nothing inside the table could take the focus.
    live_login(page, cast.worker_a)
    page.goto("/calendar/")
    region = page.locator(".table-scroll")
    expect(region).to_have_count(1)
    expect(region.locator("> table")).to_have_count(1)
    expect(region).to_have_attribute("tabindex", "0")
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("aria-label", "Региональные исключения")
    assert _tab_to(page, ".table-scroll")
    # The arrow keys scroll the focused region (a smooth scroll: give it a moment).
    page.keyboard.press("ArrowRight")
    for _ in range(20):
        if region.evaluate("el => el.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert region.evaluate("el => el.scrollLeft") > 0
    axe_check(page)

    # The shared table component (the audit log), named by its caption.
    live_login(page, cast.coordinator)
    page.goto("/audit/")
    region = page.locator(".table-scroll")
    expect(region).to_have_attribute("tabindex", "0")
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("aria-label", "Журнал аудита")
    axe_check(page)
    # On a wide screen the table fits: no region, no extra tab stop.
    page.set_viewport_size({"width": 1600, "height": 900})
    expect(region).not_to_have_attribute("tabindex", "0")
    expect(region).not_to_have_attribute("role", "region")
    axe_check(page)
