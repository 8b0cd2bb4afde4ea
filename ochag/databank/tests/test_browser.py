"""The data bank in a real browser, with axe on every page: a specialist opens a child,
reads the ranked families with their reasons, records a contact; the family's body sees
the contact and the anonymised children; the coordinator's federal queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ochag.browser_fixtures import axe_check
from ochag.conftest import Cast
from ochag.databank.models import Contact, FederalDeadline
from ochag.databank.tests.conftest import Bank

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_specialist_opens_a_child_reads_reasons_and_records_a_contact(
    browser_page: Page, live_login, cast: Cast, bank: Bank
) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    live_login(page, cast.worker_a)
    page.goto("/databank/")
    axe_check(page)
    page.get_by_role("link", name="Соколова").first.click()
    expect(page.get_by_role("heading", name="Самые подходящие семьи")).to_be_visible()
    expect(page.get_by_text("км от дома ребёнка").first).to_be_visible()
    axe_check(page)
    # By field name: other apps' catalogues may word the same English labels differently.
    page.locator("input[name=family]").fill(str(bank.family.pk))
    page.locator("select[name=outcome]").select_option(label="Встретились, решают")
    page.locator("textarea[name=note]").fill("Понравились друг другу")
    page.locator('form[action$="/contact/"] button[type=submit]').click()
    expect(page.get_by_text("Знакомство записано.")).to_be_visible()
    assert Contact.objects.filter(child=bank.child, family=bank.family).exists()

    live_login(page, cast.worker_b)
    page.goto(f"/databank/families/{bank.family.pk}/")
    expect(page.get_by_text("Встретились, решают")).to_be_visible()
    expect(page.get_by_role("heading", name="Самые подходящие семье дети")).to_be_visible()
    axe_check(page)
    page.goto("/databank/families/")
    axe_check(page)


def test_coordinator_federal_queue(browser_page: Page, live_login, cast: Cast, bank: Bank) -> None:  # type: ignore[no-untyped-def]
    FederalDeadline.objects.filter(child=bank.child).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    page = browser_page
    live_login(page, cast.coordinator)
    page.goto("/databank/federal/")
    expect(page.get_by_role("link", name="Соколова")).to_be_visible()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Скачать файл и записать передачу").click()
    assert download.value.suggested_filename.startswith("federal-bank-")
    assert FederalDeadline.objects.get(child=bank.child).done_on == timezone.localdate()


def test_keeper_edits_the_profile_adds_a_photo_and_groups_siblings(
    browser_page: Page, live_login, cast: Cast, bank: Bank, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from ochag.databank.models import ChildPhoto, SiblingGroup
    from ochag.databank.tests.conftest import make_child
    from ochag.databank.tests.test_photos import jpeg_with_exif

    brother = make_child(cast)
    page = browser_page
    live_login(page, cast.worker_a)
    page.goto(f"/databank/children/{bank.child.pk}/")
    page.get_by_role("link", name="Изменить анкету").click()
    axe_check(page)
    page.locator("textarea[name=description]").fill("Любит рисовать.")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Анкета сохранена.")).to_be_visible()

    page.get_by_role("link", name="Добавить фотографию с согласием").click()
    axe_check(page)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_exif())
    page.locator("input[name=photo]").set_input_files(str(photo))
    page.locator("input[name=consent_by]").fill("Опекун Иванова М. П.")
    page.locator("input[name=purposes][value=candidates]").check()
    page.locator("input[name=purposes][value=profile]").check()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Фотография сохранена, согласие записано.")).to_be_visible()
    expect(page.get_by_role("img", name="Фотография:")).to_be_visible()
    assert ChildPhoto.objects.filter(child=bank.child).exists()
    axe_check(page)

    page.locator("input[name=others]").fill(str(brother.pk))
    page.get_by_role("button", name="Объединить в группу братьев и сестёр").click()
    expect(page.get_by_role("heading", name="Вместе или раздельно")).to_be_visible()
    axe_check(page)
    assert SiblingGroup.objects.get().children.count() == 2
