"""Real-browser checks of every intake channel and the receiving queue, with axe on every page
and the console watched for CSP violations (see ochag/browser_fixtures.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.browser_fixtures import axe_check
from ochag.conftest import Cast
from ochag.core.calendar import add_working_days
from ochag.signals import bulk
from ochag.signals.models import Channel, ImportJob, ImportStatus, Indicator, Signal, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _indicator(code: str) -> str:
    return Indicator.objects.get(code=code).name_ru


def test_school_reports_through_the_staff_form_and_kdn_accepts(
    browser_page: Page,
    cast: Cast,
    bodies: dict[str, Agency],
    checklist: None,
    live_login: Callable[[Page, User], None],
) -> None:
    page = browser_page
    teacher = UserFactory(agency=bodies["school"], role=Role.SCHOOL_SOCIAL_PEDAGOGUE)
    live_login(page, teacher)
    page.goto("/signals/new/")
    expect(page.locator("#step-indicator")).to_contain_text("1")
    axe_check(page)
    # Step 1: a missing date is explained in Russian and the rest is kept.
    page.locator("#id_territory").select_option(label=cast.municipality_a.name)
    page.get_by_role("button", name="Продолжить").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    axe_check(page)
    page.get_by_label("Когда замечено").fill(timezone.localdate().strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Продолжить").click()
    # Step 2: the child.
    expect(page.locator("#step-indicator")).to_contain_text("2")
    page.get_by_label("Фамилия").fill("Соколова")
    page.get_by_label("Имя", exact=True).fill("Вера")
    page.get_by_label("Дата рождения").fill("12.04.2013")
    axe_check(page)
    page.get_by_role("button", name="Продолжить").click()
    # Step 3: parents and address (optional).
    expect(page.locator("#step-indicator")).to_contain_text("3")
    axe_check(page)
    page.get_by_role("button", name="Продолжить").click()
    # Step 4: indicators.
    expect(page.locator("#step-indicator")).to_contain_text("4")
    page.get_by_label(_indicator("persistent_truancy")).check()
    axe_check(page)
    page.get_by_role("button", name="Продолжить").click()
    # Step 5: the reporter's words, then check your answers.
    expect(page.locator("#step-indicator")).to_contain_text("5")
    page.get_by_label("Что произошло — словами сообщившего").fill(
        "Вера не ходит в школу третью неделю, родители на звонки не отвечают."
    )
    axe_check(page)
    page.get_by_role("button", name="Проверить ответы").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Проверьте ответы перед отправкой")
    expect(page.locator(".summary-list")).to_contain_text("Соколова")
    axe_check(page)
    page.get_by_role("button", name="Отправить сигнал").click()
    signal = Signal.objects.get(channel=Channel.STAFF)
    expect(page.get_by_text(signal.number).first).to_be_visible()
    axe_check(page)
    assert signal.routed_to == bodies["kdn"]
    due = add_working_days(timezone.localdate(), 3, territory=cast.municipality_a)
    assert signal.due_date == due

    # The KDN sees it in its queue with the deadline and takes it on.
    page.context.clear_cookies()
    kdn = UserFactory(agency=bodies["kdn"], role=Role.KDN_SECRETARY)
    live_login(page, kdn)
    page.goto("/signals/")
    row = page.locator("tr", has_text=signal.number)
    expect(row).to_contain_text(due.strftime("%d.%m.%Y"))
    axe_check(page)
    row.get_by_role("link", name=signal.number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(signal.number)
    axe_check(page)
    page.get_by_role("button", name="Принять в работу").click()
    expect(page.locator("body")).to_contain_text("Вы приняли сигнал в работу")
    axe_check(page)
    signal.refresh_from_db()
    assert signal.status == Status.ACCEPTED and signal.assignee == kdn


def test_helpline_records_an_anonymous_red_call_and_escalates(
    browser_page: Page,
    cast: Cast,
    bodies: dict[str, Agency],
    checklist: None,
    live_login: Callable[[Page, User], None],
) -> None:
    page = browser_page
    line = AgencyFactory(name="Телефон доверия", type=AgencyType.HELPLINE, territory=cast.region)
    operator = UserFactory(agency=line, role=Role.HELPLINE_OPERATOR)
    live_login(page, operator)
    page.goto("/signals/helpline/")
    axe_check(page)
    page.locator("#id_territory").select_option(label=cast.municipality_a.name)
    page.get_by_label("Где — со слов звонившего").fill("у вокзала, пятиэтажка")
    page.get_by_label(_indicator("child_alone_under_10")).check()
    page.get_by_label("Что сказал звонивший").fill("Малыш один дома второй день, плачет.")
    page.get_by_role("button", name="Срочно передать красный сигнал").click()
    expect(page.locator("body")).to_contain_text(re.compile(r"\d{4}-\d{4}-\d{4}"))
    axe_check(page)
    signal = Signal.objects.get(channel=Channel.HELPLINE)
    assert signal.colour == "red" and signal.escalated_at is not None
    assert signal.reporter_id is None and not signal.reporter_name and not signal.reporter_contact
    assert signal.routed_to == cast.agency_a
    assert signal.due_date == add_working_days(timezone.localdate(), 0)


def test_citizen_reports_without_login_and_gets_a_receipt(
    browser_page: Page, cast: Cast, bodies: dict[str, Agency], checklist: None
) -> None:
    page = browser_page
    page.goto("/signals/report/")
    axe_check(page)
    # An empty form is explained and nothing is lost.
    page.locator("#id_territory").select_option(label=cast.municipality_a.name)
    page.get_by_role("button", name="Отправить").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    axe_check(page)
    expect(page.locator("#id_territory")).to_have_value(str(cast.municipality_a.pk))
    page.get_by_label(_indicator("child_alone_under_10")).check()
    page.get_by_label("Что вас беспокоит").fill("Соседские дети часто одни, кричат по ночам.")
    page.get_by_role("button", name="Отправить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ваше сообщение получено")
    axe_check(page)
    signal = Signal.objects.get(channel=Channel.PUBLIC)
    expect(page.locator("main strong")).to_have_text(signal.number)
    assert signal.reporting_agency is None and signal.routed_to == cast.agency_a


def test_bulk_upload_shows_progress_and_ends_with_an_error_report(
    browser_page: Page,
    cast: Cast,
    bodies: dict[str, Agency],
    checklist: None,
    live_login: Callable[[Page, User], None],
    tmp_path: Any,
) -> None:
    page = browser_page
    teacher = UserFactory(agency=bodies["school"], role=Role.SCHOOL_SOCIAL_PEDAGOGUE)
    live_login(page, teacher)
    lines = ["Фамилия;Имя;Отчество;Дата рождения;Муниципалитет;Показатели"]
    lines += [
        f"Учеников;Пётр{i};Иванович;0{1 + i % 9}.02.2012;{cast.municipality_a.name};"
        "persistent_truancy"
        for i in range(12)
    ]
    lines.append("Ошибкин;Иван;;31.02.2012;;persistent_truancy")
    path = tmp_path / "absentees.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    page.goto("/signals/upload/")
    axe_check(page)
    page.get_by_label("Файл CSV или XLSX").set_input_files(str(path))
    page.get_by_role("button", name="Загрузить файл").click()
    # Queued: the progress bar is there and polls.
    progress = page.locator("#import-status progress")
    expect(progress).to_be_visible()
    axe_check(page)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED
    # The worker runs the queued task (here inline); the polling page reaches the end.
    bulk.import_job_run(job_id=job.pk)
    expect(page.locator("#import-status")).to_contain_text("Завершена", timeout=20_000)
    expect(page.locator("#import-progress-text")).to_contain_text("13")
    expect(progress).to_have_attribute("value", "13")
    report = page.get_by_role("link", name="Скачать отчёт об ошибках (CSV)")
    expect(report).to_be_visible()
    axe_check(page)
    with page.expect_download() as download:
        report.click()
    saved = download.value.path()
    assert saved is not None
    text = saved.read_text(encoding="utf-8-sig")
    assert "14" in text and "31.02.2012" in text
    assert Signal.objects.filter(channel=Channel.BULK).count() == 12


def test_api_docs_render_under_the_csp(browser_page: Page, checklist: None) -> None:
    page = browser_page
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Ochag API")
    expect(page.locator(".swagger-ui").get_by_text("/api/signals/").first).to_be_visible()


def test_the_administrator_sees_a_stalled_import_and_resumes_it(
    browser_page: Page,
    cast: Cast,
    bodies: dict[str, Agency],
    checklist: None,
    live_login: Callable[[Page, User], None],
    tmp_path: Any,
    settings: Any,
) -> None:
    """Issue 18 #1 on the page: a job whose worker died is shown stalled with the rows done;
    the administrator resumes it and the page follows it to the end."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    lines = ["Фамилия;Имя;Дата рождения;Показатели"]
    lines += [f"Остановкин;Пётр{i};0{1 + i}.02.2012;cruelty" for i in range(4)]
    upload = SimpleUploadedFile("stalled.csv", "\n".join(lines).encode())
    job, _ = bulk.import_job_create(actor=UserFactory(agency=bodies["school"]), upload=upload)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, lease="dead", total=4, processed=0,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip
    page = browser_page
    live_login(page, cast.admin)
    page.goto(f"/signals/upload/{job.pk}/")
    expect(page.locator("#import-status")).to_contain_text("Остановлен")
    expect(page.locator("#import-progress-text")).to_contain_text("0 из 4")
    axe_check(page)
    page.get_by_role("button", name="Возобновить сейчас").click()
    expect(page.get_by_text("Загрузка возобновлена со строки 1.")).to_be_visible()
    bulk.import_job_run(job_id=job.pk)  # the worker picks the resumed job up
    expect(page.locator("#import-status")).to_contain_text("Завершена", timeout=20_000)
    axe_check(page)
    assert Signal.objects.filter(channel=Channel.BULK).count() == 4
