"""The КДН's setup screen: its secretary sets the commission up and keeps its membership
(one chair and one executive secretary at a time, members who leave stay on record), every
change audited; others of the КДН and the coordinator read it (403 on writes), other
agencies get 404, anonymous visitors the login page; the page's query count is flat."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import Page, expect

from ochag.access.models import Role, User
from ochag.access.tests.factories import UserFactory
from ochag.browser_fixtures import axe_check
from ochag.cases import services
from ochag.cases.models import Case, CaseAction, Commission, CommissionMember
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import Cast
from ochag.core.models import AuditEvent

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
SETUP = {"full_name": "Комиссия по делам несовершеннолетних и защите их прав округа А",
         "municipality_name": "Город А", "address": "ул. Ленина, 1",
         "regional_law": "Законом области от 01.01.2006 № 1-ОЗ"}  # fmt: skip


def _set_up(client: Client) -> Commission:
    assert client.post(reverse("cases:commission"), SETUP).status_code == 302
    return Commission.objects.get()


def _member(client: Client, found: Commission, name: str, role: str) -> CommissionMember:
    url = reverse("cases:commission_detail", args=[found.pk])
    data = {"action": "add", "full_name": name, "position": "", "role": role}
    assert client.post(url, data).status_code == 302
    return CommissionMember.objects.get(full_name=name)


def _roles(found: Commission) -> dict[str, str]:
    return {m.full_name: m.role for m in found.members.filter(is_active=True)}


def test_secretary_sets_up_the_commission_and_keeps_its_membership(
    cc: CaseCast, client_for: ClientFor
) -> None:
    client = client_for(cc.kdn_secretary)
    form = client.get(reverse("cases:commission")).content.decode()
    assert "Создание комиссии" in form
    refused = client.post(reverse("cases:commission"), {**SETUP, "regional_law": ""})
    assert refused.status_code == 200 and "Город А" in refused.content.decode()
    found = _set_up(client)
    assert AuditEvent.objects.filter(action=CaseAction.COMMISSION_SET_UP).count() == 1
    assert client.get(reverse("cases:commission"))["Location"] == reverse(
        "cases:commission_detail", args=[found.pk]
    )

    chair = _member(client, found, "Орлова Анна Петровна", "chair")
    secretary = _member(client, found, "Соколова Ирина Львовна", "secretary")
    member = _member(client, found, "Белов Олег Ильич", "member")
    _member(client, found, "Новиков Пётр Сергеевич", "chair")  # a new chair is appointed
    assert _roles(found)["Орлова Анна Петровна"] == "member"
    assert _roles(found)["Новиков Пётр Сергеевич"] == "chair"
    appointed = AuditEvent.objects.filter(action=CaseAction.COMMISSION_MEMBERSHIP).latest("pk")
    assert appointed.detail["now_members"] == [chair.pk]

    url = reverse("cases:commission_detail", args=[found.pk])
    client.post(url, {"action": "role", "member": member.pk, "role": "secretary"})
    assert _roles(found)["Белов Олег Ильич"] == "secretary"
    assert _roles(found)["Соколова Ирина Львовна"] == "member"
    client.post(url, {"action": "left", "member": secretary.pk})
    assert "Соколова Ирина Львовна" not in _roles(found)
    page = client.get(url).content.decode()
    assert "Бывшие члены" in page and "Соколова Ирина Львовна" in page

    changed = {**SETUP, "action": "details", "address": "ул. Мира, 5", "appeal_text": ""}
    assert client.post(url, changed).status_code == 302
    found.refresh_from_db()
    assert found.address == "ул. Мира, 5" and found.appeal_text  # the default text is kept
    event = AuditEvent.objects.get(action=CaseAction.COMMISSION_CHANGED)
    assert event.detail["changes"] == {"address": ["ул. Ленина, 1", "ул. Мира, 5"]}
    assert client.post(url, {"action": "add", "full_name": "", "role": "member"}).status_code == 200


def test_commission_screen_access(cast: Cast, cc: CaseCast, client_for: ClientFor) -> None:
    found = _set_up(client_for(cc.kdn_secretary))
    url = reverse("cases:commission_detail", args=[found.pk])
    add = {"action": "add", "full_name": "Чужой Иван", "position": "", "role": "member"}
    inspector = UserFactory(username="kdn_inspector", agency=cc.kdn, role=Role.CASE_CURATOR)
    for reader in (inspector, cast.coordinator):
        client = client_for(reader)
        page = client.get(url)
        assert page.status_code == 200 and "Добавить члена комиссии" not in page.content.decode()
        assert client.post(url, add).status_code == 403
    for outsider in (cc.teacher, cast.worker_b):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url, add).status_code == 404
    assert client_for(cc.teacher).get(reverse("cases:commission")).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert not CommissionMember.objects.filter(full_name="Чужой Иван").exists()


def test_commission_page_query_count_is_flat(cc: CaseCast, client_for: ClientFor) -> None:
    client = client_for(cc.kdn_secretary)
    found = _set_up(client)
    url = reverse("cases:commission_detail", args=[found.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _member(client, found, "Первый Член", "member")
    count()
    few = count()
    for i in range(4):
        _member(client, found, f"Член{i} Комиссии", "member")
    assert count() == few


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_commission_set_up_and_a_task_shared_in_a_browser(
    browser_page: Page, cc: CaseCast, case: Case, live_login: Callable[[Page, User], None]
) -> None:
    page = browser_page
    live_login(page, cc.kdn_secretary)
    page.goto(reverse("cases:sittings"))
    page.get_by_role("link", name="Комиссия и её состав").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Создание комиссии")
    axe_check(page)
    page.get_by_label("Полное наименование комиссии").fill(SETUP["full_name"])
    page.get_by_label("Муниципальное образование, как пишется в постановлениях").fill("Город А")
    page.get_by_role("button", name="Создать").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    axe_check(page)
    page.get_by_label("Региональный закон о комиссиях").fill(SETUP["regional_law"])
    page.get_by_role("button", name="Создать").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SETUP["full_name"])
    page.get_by_label("ФИО").fill("Орлова Анна Петровна")
    page.get_by_label("Роль в комиссии").select_option("chair")
    page.get_by_role("button", name="Добавить", exact=True).click()
    expect(page.get_by_role("table")).to_contain_text("Орлова Анна Петровна")
    axe_check(page)

    task = services.task_add(actor=cc.curator, case=case, title="Посещение семьи",
                             owner_agency=cc.social, start_date=dt.date(2026, 11, 2),
                             deadline_days=10)  # fmt: skip
    live_login(page, cc.curator)
    page.goto(reverse("cases:task", args=[case.pk, task.pk]))
    axe_check(page)
    page.get_by_label("Привлечь к случаю орган").select_option(label="Поликлиника А")
    page.get_by_role("button", name="Поделиться со всеми участвующими органами").click()
    expect(page.locator(".notices")).to_contain_text("Задача показана всем участвующим органам")
    task.refresh_from_db()
    assert task.shared
