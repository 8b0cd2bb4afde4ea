"""Every case screen on the demo region, through a real browser with axe (moved from the
cases app: it needs the demo, the top layer)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ochag.browser_fixtures import axe_check
from ochag.cases.models import Case, KdnSitting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_case_screen_is_accessible_on_the_demo(browser_page: Page, live_login) -> None:
    from importlib import import_module

    from django.apps import apps

    from ochag.access.models import User
    from ochag.demo.generator import generate_region

    # An earlier transactional test's flush removes the indicators the signals app seeds in
    # a data migration, and the signals demo hook needs them: seed them again (idempotent).
    import_module("ochag.signals.migrations.0002_seed_indicators").seed(apps, None)
    generate_region(seed=7, persons=400, staff=40)
    page = browser_page
    coordinator = User.objects.get(username="demo.coordinator")
    live_login(page, coordinator)
    for path in (
        "/cases/",
        "/cases/tasks/",
        "/cases/tasks/?overdue=yes",
        "/cases/board/",
        "/cases/workload/",
        "/cases/notifications/",
    ):
        page.goto(path)
        axe_check(page)
    live_login(page, User.objects.get(username="demo.curator"))
    page.goto("/cases/open/?q=а")
    axe_check(page)
    case = Case.objects.filter(sessions__isnull=False, risk_assessments__isnull=False).first()
    assert case is not None
    risk = case.risk_assessments.first()
    assert risk is not None
    task = case.tasks.filter(is_medical=False).first()
    assert task is not None
    for suffix in (
        "",
        "timeline/",
        "print/",
        f"risk/{risk.pk}/",
        "safety/",
        "risk/",
        "sessions/new/",
        "plan/",
        "tasks/new/",
        f"tasks/{task.pk}/",
        "monitoring/new/",
        "notes/new/",
        "agencies/new/",
        "curator/",
        "close/",
    ):
        page.goto(f"/cases/{case.pk}/{suffix}")
        expect(page.locator(".identity-bar")).to_contain_text(case.number)
        axe_check(page)
    # Forms with errors are accessible too.
    page.goto(f"/cases/{case.pk}/tasks/new/")
    page.get_by_role("button", name="Добавить задачу").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    axe_check(page)
    # The КДН sitting: the list, a held sitting and its resolution, a planned one's forms.
    live_login(page, User.objects.get(username="demo.kdn"))
    held, planned = KdnSitting.objects.order_by("date")
    page.goto("/cases/kdn/")
    axe_check(page)
    page.get_by_role("link", name=f"Заседание № {held.number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Заседание № {held.number}")
    expect(page.locator("main")).to_contain_text("Кворум есть")
    axe_check(page)
    item = planned.items.first()
    assert item is not None
    for path in (
        f"/cases/kdn/{planned.pk}/",
        f"/cases/kdn/{planned.pk}/attendance/",
        f"/cases/kdn/{planned.pk}/agenda/new/",
        f"/cases/kdn/{planned.pk}/agenda/{item.pk}/decision/",
        "/cases/kdn/new/",
    ):
        page.goto(path)
        axe_check(page)
    page.goto(f"/cases/kdn/{planned.pk}/agenda/{item.pk}/decision/")
    page.get_by_label("Комиссия установила").fill("")
    page.get_by_role("button", name="Записать решение").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    axe_check(page)
    removal_case = Case.objects.filter(removals__isnull=False).first()
    assert removal_case is not None
    live_login(page, User.objects.get(username="demo.opeka"))
    page.goto(f"/cases/{removal_case.pk}/")
    expect(page.locator(".identity-bar")).to_contain_text("Отобрание")
    axe_check(page)
