"""Issue 12 #5 and issue 18 #6: what offices actually save is read (UTF-8 with or without
BOM, Windows-1251, UTF-16; ``;``, ``,`` or tab), a file that cannot be used is explained in
Russian on the upload page, and indicators are named by code or exact name, several in one
cell, although names contain commas."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ochag.access.models import Agency, User
from ochag.access.tests.factories import UserFactory
from ochag.signals import bulk, bulk_files
from ochag.signals.models import INDICATOR_SEPARATOR, ImportStatus, Indicator, Signal

pytestmark = pytest.mark.django_db
LONG_NAME = "Немощный или пожилой взрослый один с младенцем, ребёнком-инвалидом или подопечным"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def school(bodies: dict[str, Agency]) -> User:
    return UserFactory(agency=bodies["school"])


def _text(separator: str) -> str:
    rows = [
        ["Фамилия", "Имя", "Дата рождения", "Муниципалитет", "Показатели", "Описание"],
        ["Ёлкина", "Дарья", "01.02.2013", "Город А", "cruelty", "Синяки, ссадины"],
        ["Щукин", "Иван", "03.04.2012", "Город А", "Систематические пропуски школы", "Прогулы"],
    ]
    out = io.StringIO()
    import csv

    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("utf-8", ";"), ("utf-8-sig", ";"), ("cp1251", ";"), ("cp1251", ","), ("utf-8", "\t"),
     ("utf-16", "\t"), ("utf-8-sig", ",")],
)  # fmt: skip
def test_every_encoding_and_separator_offices_save_is_imported(
    school: User, encoding: str, separator: str
) -> None:
    data = _text(separator).encode(encoding)
    job, _ = bulk.import_job_create(actor=school, upload=SimpleUploadedFile("list.csv", data))
    job = bulk.import_job_run(job_id=job.pk)
    assert (job.status, job.created, job.errors) == (ImportStatus.DONE, 2, [])
    names = set(Signal.objects.values_list("subjects__last_name", flat=True))
    assert names == {"Ёлкина", "Щукин"}
    assert Signal.objects.filter(original_text="Синяки, ссадины").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.xlsx", b"this is not a workbook at all", "не является книгой Excel"),
        ("list.xlsx", b"PK\x03\x04broken zip", "не является книгой Excel"),
        ("list.csv", "Фамилия;Имя;Дата рождения;Показатели\r\n".encode(), "нет строк"),
        ("list.csv", b"", "пуст"),
        ("list.csv", "Фамилия,Имя\r\nИванов,Иван\r\n".encode(), "Нет столбцов: Дата рождения"),
    ],
)
def test_a_bad_file_is_explained_in_russian_on_the_page(
    school: User, client_for, name: str, content: bytes, message: str
) -> None:
    response = client_for(school).post(
        reverse("signals:upload"), {"file": SimpleUploadedFile(name, content)}
    )
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "zip" not in page.lower() and "Traceback" not in page
    from ochag.signals.models import ImportJob

    assert not ImportJob.objects.exists()


def test_a_header_only_xlsx_says_it_has_no_rows(school: User) -> None:
    workbook = Workbook()
    workbook.active.append(["Фамилия", "Имя", "Дата рождения", "Показатели"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ValidationError) as refused:
        bulk.import_job_create(actor=school, upload=SimpleUploadedFile("a.xlsx", out.getvalue()))
    assert "нет строк" in str(refused.value.message_dict["file"][0])


def test_indicators_by_code_or_exact_name_with_commas_several_in_a_cell(school: User) -> None:
    assert Indicator.objects.filter(name_ru=LONG_NAME).exists()
    cells = [
        LONG_NAME,
        f"{LONG_NAME} {INDICATOR_SEPARATOR} cruelty",
        f"признаки насилия\n{LONG_NAME.upper()}",
    ]
    lines = ["Фамилия;Имя;Дата рождения;Показатели"]
    lines += [f'Пахомов{i};Илья;0{i + 1}.05.2014;"{cell}"' for i, cell in enumerate(cells)]
    lines.append("Пахомов9;Илья;09.05.2014;Немощный или пожилой взрослый один с младенцем")
    upload = SimpleUploadedFile("names.csv", "\r\n".join(lines).encode())
    job, _ = bulk.import_job_create(actor=school, upload=upload)
    job = bulk.import_job_run(job_id=job.pk)
    assert job.created == 3
    assert [row for row, _message in job.errors] == [5]  # a name cut at its comma is unknown
    codes = [
        sorted(s.indicator_rows.values_list("indicator__code", flat=True))
        for s in Signal.objects.order_by("pk")
    ]
    assert codes == [
        ["infirm_caregiver_alone"],
        ["cruelty", "infirm_caregiver_alone"],
        ["infirm_caregiver_alone", "signs_of_violence"],
    ]


def test_no_indicator_name_can_hold_the_separator() -> None:
    names = Indicator.objects.values_list("name_ru", flat=True)
    assert names and not any(INDICATOR_SEPARATOR in n or "\n" in n for n in names)
    with pytest.raises(ValidationError):
        Indicator(code="x", colour="red", name_ru=f"а {INDICATOR_SEPARATOR} б", name_en="x").clean()


def test_the_upload_page_offers_a_template_that_imports_as_it_is(
    school: User, client_for, cast
) -> None:
    client = client_for(school)
    assert (
        reverse("signals:upload_template") in client.get(reverse("signals:upload")).content.decode()
    )
    response = client.get(reverse("signals:upload_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Сигналы"].iter_rows(values_only=True))
    assert list(rows[0]) == bulk_files.TEMPLATE_HEADER
    listed = {code: name for code, name, _colour in workbook["Показатели"].iter_rows(
        min_row=2, values_only=True)}  # fmt: skip
    assert listed == dict(Indicator.objects.values_list("code", "name_ru"))
    job, _ = bulk.import_job_create(
        actor=school, upload=SimpleUploadedFile("template.xlsx", response.content)
    )
    assert bulk.import_job_run(job_id=job.pk).created == 1  # the example row itself
    assert client_for(cast.analyst).get(reverse("signals:upload_template")).status_code == 403
