"""A case from opening to closure through a real browser, with axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ochag.access.models import Notification
from ochag.browser_fixtures import axe_check
from ochag.cases import scoring
from ochag.cases.models import Case, CaseStatus, TaskStatus
from ochag.cases.tests.conftest import CaseCast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_from_opening_to_closure(browser_page: Page, cc: CaseCast, live_login) -> None:
    page = browser_page
    live_login(page, cc.kdn_secretary)
    # Open: find the family, choose the curator and the school.
    page.goto("/cases/")
    axe_check(page)
    page.get_by_role("link", name="Открыть случай").first.click()
    page.get_by_label("Фамилия семьи или адрес").fill("Петров")
    page.get_by_role("button", name="Найти").click()
    axe_check(page)
    page.get_by_role("link", name="Открыть случай — Петровы").click()
    page.get_by_role("button", name="Открыть случай").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    axe_check(page)
    page.get_by_label("Куратор").select_option(str(cc.curator.pk))
    page.get_by_label("Школа А").check()
    page.get_by_role("button", name="Открыть случай").click()
    case = Case.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Случай {case.number}")
    expect(page.locator(".identity-bar")).to_contain_text("Петрова Алиса")
    axe_check(page)
    # Safety first.
    page.get_by_role("link", name="Оценка безопасности").first.click()
    axe_check(page)
    page.get_by_label("Нет", exact=True).check()
    page.get_by_label("Обоснование").fill("Дети накормлены, дома тепло")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".notices")).to_contain_text("Оценка безопасности записана")
    # Risk: the advisory score shows which answers moved it.
    page.get_by_role("link", name="Оценка рисков").first.click()
    for indicator in scoring.INDICATORS:  # nothing is answered in advance
        page.locator(f"input[name=ind_{indicator.code}][value=no]").check()
    page.locator("input[name=ind_child_truancy][value=yes]").check()
    page.locator("input[name=ind_parent_substance][value=partly]").check()
    page.get_by_role("button", name="Рассчитать рекомендательный балл").click()
    panel = page.locator("[data-score-panel]")
    expect(panel).to_contain_text("Рекомендательный балл: 10")
    expect(panel).to_contain_text("Систематические пропуски школы")
    axe_check(page)
    page.get_by_label("Уровень, определённый специалистом").select_option("tzhs")
    page.get_by_role("button", name="Сохранить оценку").click()
    expect(page.locator(".notices")).to_contain_text("Оценка рисков записана")
    # КДН recognises СОП; the resolution is printable.
    page.get_by_role("link", name="Заседание КДН").click()
    page.get_by_label("Номер постановления").fill("7/1")
    page.get_by_label("Повестка").fill("О признании семьи в СОП")
    page.get_by_label("Решение", exact=True).select_option("recognise_sop")
    page.get_by_label("Текст постановления").fill("Признать семью находящейся в СОП.")
    page.get_by_role("button", name="Сохранить постановление").click()
    expect(page.locator(".identity-bar")).to_contain_text("Социально опасное положение")
    # A plan task for the school.
    page.get_by_role("link", name="Добавить задачу").click()
    page.get_by_label("Задача", exact=True).fill("Контроль посещаемости")
    page.get_by_label("Ответственный орган").select_option(label="Школа А")
    page.get_by_label("Срок, дней").fill("5")
    page.get_by_role("button", name="Добавить задачу").click()
    expect(page.locator(".task-list")).to_contain_text("Контроль посещаемости")
    axe_check(page)
    # The school marks its task done.
    live_login(page, cc.teacher)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Контроль посещаемости").click()
    axe_check(page)
    page.get_by_label("Выполнена", exact=True).check()
    page.get_by_label("Подтверждение").fill("Справка о посещаемости")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".task-list")).to_contain_text("Выполнена")
    assert case.tasks.get().status == TaskStatus.DONE
    # КДН closes the case; every agency is told.
    live_login(page, cc.kdn_secretary)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Закрыть случай").click()
    axe_check(page)
    page.get_by_label("Причины неблагополучия устранены").check()
    page.get_by_role("button", name="Закрыть случай").click()
    expect(page.locator(".notices")).to_contain_text("все участвующие органы уведомлены")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert Notification.objects.filter(subject_id=case.pk, kind="closed").count() == 3
    page.get_by_role("link", name="Хронология").click()
    expect(page.locator(".timeline")).to_contain_text("Случай закрыт")
    axe_check(page)
    page.get_by_role("link", name="Версия для печати").click()
    axe_check(page)
