"""Real-browser flows of the registry, with axe on every page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from ochag.access.models import User
from ochag.browser_fixtures import axe_check
from ochag.conftest import Cast
from ochag.registry.models import DuplicateCandidate, Membership, Person, Relationship
from ochag.registry.tests.factories import HouseholdFactory, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_open_person_then_household(
    browser_page: Page, cast: Cast, live_login: Callable[[Page, User], None]
) -> None:
    page = browser_page
    child = make_person(cast.municipality_a, first_name="Александра")
    mother = make_person(cast.municipality_a, first_name="Ольга", birth_year=1990)
    home = HouseholdFactory(territory=cast.municipality_a, name="Ивановы")
    Membership.objects.create(household=home, person=child, role="child")
    Membership.objects.create(household=home, person=mother, role="parent")
    Relationship.objects.create(person=mother, kind="mother", relative_of=child)
    live_login(page, cast.worker_a)
    page.goto("/")
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Лица").click()
    axe_check(page)
    page.get_by_label("ФИО, дата рождения, год или СНИЛС").fill("Саша Ивановой")
    page.get_by_role("button", name="Поиск").click()
    expect(page.get_by_role("status")).to_contain_text("Найдено 1 лицо")
    page.get_by_text("Почему найдено").click()
    expect(page.locator(".explanation")).to_contain_text("Имя")
    axe_check(page)
    page.get_by_role("link", name="Иванова Александра Сергеевна").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Иванова Александра Сергеевна")
    expect(page.locator(".identity-bar")).to_contain_text("05.03.2015")
    axe_check(page)
    page.get_by_role("link", name="Ивановы").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ивановы")
    expect(page.get_by_role("table")).to_contain_text("Иванова Ольга Сергеевна")
    expect(page.locator("main")).to_contain_text("Мать")
    axe_check(page)
    page.get_by_role("link", name="Изменить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Изменить домохозяйство")
    axe_check(page)
    page.get_by_label("Адрес").fill("ул. Лесная, 3")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("main")).to_contain_text("ул. Лесная, 3")
    axe_check(page)


def test_compare_merge_then_unmerge(
    browser_page: Page, cast: Cast, live_login: Callable[[Page, User], None]
) -> None:
    page = browser_page
    kept = make_person(cast.municipality_a, first_name="Мария")
    dup = make_person(cast.municipality_a, first_name="Маша", snils="112-233-445 95")
    pair = DuplicateCandidate.objects.create(person_a=kept, person_b=dup, probability=0.97)
    live_login(page, cast.supervisor_a)
    page.goto("/registry/duplicates/")
    axe_check(page)
    # Both records link to their cards; «Сравнить» opens the comparison.
    expect(page.get_by_role("link", name="Иванова Маша Сергеевна", exact=True)).to_be_visible()
    page.get_by_role("link", name="Сравнить Иванова Мария Сергеевна — Иванова Маша").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Сравнение записей")
    axe_check(page)
    # The kept record has no SNILS, so the merged record's number is preselected.
    expect(page.get_by_label("11223344595")).to_be_checked()
    page.get_by_role("button", name="Объединить записи").click()
    expect(page.locator(".notices")).to_contain_text("Записи объединены")
    axe_check(page)
    assert Person.objects.get(pk=dup.pk).merged_into_id == kept.pk
    assert Person.objects.get(pk=kept.pk).snils == "11223344595"
    page.get_by_label("Основание").fill("Ошибочное объединение")
    page.get_by_role("button", name="Отменить объединение").click()
    expect(page.locator(".notices")).to_contain_text("обе записи восстановлены")
    axe_check(page)
    assert Person.objects.get(pk=dup.pk).merged_into_id is None
    assert Person.objects.get(pk=kept.pk).snils == ""
    assert DuplicateCandidate.objects.get(pk=pair.pk).status == "open"


def test_former_surname_recorded_then_found(
    browser_page: Page, cast: Cast, live_login: Callable[[Page, User], None]
) -> None:
    page = browser_page
    person = make_person(cast.municipality_a, last_name="Дорохова", first_name="Валентина",
                         patronymic="Павловна", birth_year=1990)  # fmt: skip
    live_login(page, cast.worker_a)
    page.goto(f"/registry/persons/{person.pk}/")
    page.get_by_role("link", name="Записать прежнюю фамилию").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Прежняя фамилия")
    axe_check(page)
    page.get_by_label("Прежняя фамилия").fill("Белова")
    page.get_by_label("Дата смены").fill("01.06.2020")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".notices")).to_contain_text("Прежняя фамилия записана")
    expect(page.locator("main")).to_contain_text("Белова (до 01.06.2020)")
    axe_check(page)
    page.goto("/registry/?q=Белова+Валентина")
    expect(page.get_by_role("link", name="Дорохова Валентина Павловна")).to_be_visible()


def test_disability_recorded_on_the_edit_form(
    browser_page: Page, cast: Cast, live_login: Callable[[Page, User], None]
) -> None:
    page = browser_page
    child = make_person(cast.municipality_a, first_name="Александра", birth_year=2016)
    live_login(page, cast.worker_a)
    page.goto(f"/registry/persons/{child.pk}/")
    expect(page.get_by_role("heading", name="Инвалидность")).to_be_visible()
    page.get_by_role("link", name="Изменить статус инвалидности").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Изменение данных лица")
    axe_check(page)
    page.get_by_role("combobox", name="Инвалидность (необязательно)").select_option("child")
    page.get_by_role("button", name="Сохранить").click()
    # The date established is required for a disabled child: the form says so, keeps the rest.
    expect(page.locator(".error-summary")).to_contain_text("Укажите дату установления")
    axe_check(page)
    page.get_by_label("Дата установления инвалидности").fill("01.02.2020")
    page.get_by_label("Дата очередного переосвидетельствования").fill("01.02.2027")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("main")).to_contain_text("Категория «ребёнок-инвалид»")
    expect(page.locator(".timeline")).to_contain_text("Статус инвалидности")
    axe_check(page)
