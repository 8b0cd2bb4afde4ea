"""The bulk import of signals: row errors, re-uploads, resuming, XLSX, missing columns."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ochag.access.models import Agency
from ochag.access.tests.factories import UserFactory
from ochag.conftest import Cast
from ochag.registry.models import Person
from ochag.registry.services import PersonData, person_create
from ochag.signals import bulk
from ochag.signals.models import (
    Channel,
    ImportJob,
    ImportStatus,
    Signal,
    SignalSubject,
)


def _csv(rows: list[str]) -> SimpleUploadedFile:
    body = "\n".join(
        ["Фамилия;Имя;Отчество;Дата рождения;Муниципалитет;Адрес;Показатели;Описание", *rows]
    )
    return SimpleUploadedFile("absent.csv", body.encode("utf-8-sig"), content_type="text/csv")


def test_bulk_import_reports_row_errors_and_reupload_creates_nothing_twice(
    cast: Cast, bodies: dict[str, Agency], settings, tmp_path
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    school = UserFactory(agency=bodies["school"])
    rows = [
        "Кузнецов;Иван;Петрович;01.09.2012;Город А;;persistent_truancy;Пропуски",
        "Орлова;Вера;;31.02.2015;Город А;;persistent_truancy;",
        "Белов;Пётр;;05.05.2011;Нигде;;persistent_truancy;",
        "Зайцева;Ольга;;07.07.2013;;;Систематические пропуски школы;",
    ]
    job, created = bulk.import_job_create(actor=school, upload=_csv(rows))
    assert created
    job = bulk.import_job_run(job_id=job.pk)
    assert job.status == ImportStatus.DONE
    assert (job.total, job.created, job.duplicates) == (4, 2, 0)
    assert [e[0] for e in job.errors] == [3, 4]
    assert "31.02.2015" in job.errors[0][1]
    again, created = bulk.import_job_create(actor=school, upload=_csv(rows))
    assert not created and again.pk == job.pk
    # A new file with an overlapping row: only the new row is created.
    job2, _ = bulk.import_job_create(
        actor=school,
        upload=_csv([rows[0], "Лебедев;Максим;;02.02.2012;Город А;;persistent_truancy;"]),
    )
    job2 = bulk.import_job_run(job_id=job2.pk)
    assert (job2.created, job2.duplicates) == (1, 1)
    assert Signal.objects.filter(channel=Channel.BULK).count() == 3


@pytest.mark.parametrize(
    "bad",
    [
        "Древний;Иван;;01.01.0001;Город А;;persistent_truancy;",
        "Будущий;Иван;;01.01.2999;Город А;;persistent_truancy;",
        "Нулев;Ив\x00ан;;01.01.2012;Город А;;persistent_truancy;",
    ],
    ids=["year 1", "future", "NUL"],
)
def test_bulk_import_reports_a_row_that_once_stopped_its_batch(
    cast: Cast, bodies: dict[str, Agency], settings, tmp_path, bad: str
) -> None:
    # A date the linkage cannot parse, a NUL byte PostgreSQL refuses: now one row of the
    # error report, and the row after it in the same batch is written.
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    good = "Кузнецов;Иван;Петрович;01.09.2012;Город А;;persistent_truancy;Пропуски"
    job, _ = bulk.import_job_create(
        actor=UserFactory(agency=bodies["school"]), upload=_csv([bad, good])
    )
    job = bulk.import_job_run(job_id=job.pk)
    assert (job.status, job.total, job.created) == (ImportStatus.DONE, 2, 1)
    assert [e[0] for e in job.errors] == [2]
    assert bad.split(";")[3] in job.errors[0][1] or "NUL" in job.errors[0][1]


def test_bulk_import_lists_errors_in_row_order(
    cast: Cast, bodies: dict[str, Agency], settings, tmp_path
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    rows = [  # refused by the intake, unreadable, refused by the intake
        "Древний;Иван;;01.01.0001;Город А;;persistent_truancy;",
        "Нулев;Ив\x00ан;;01.01.2012;Город А;;persistent_truancy;",
        "Будущий;Иван;;01.01.2999;Город А;;persistent_truancy;",
    ]
    job, _ = bulk.import_job_create(actor=UserFactory(agency=bodies["school"]), upload=_csv(rows))
    job = bulk.import_job_run(job_id=job.pk)
    assert [e[0] for e in job.errors] == [2, 3, 4]


def test_bulk_import_links_in_batches_and_resumes(
    cast: Cast, bodies: dict[str, Agency], settings, tmp_path, monkeypatch
) -> None:
    """Rows of one batch about the same child link to the person the first row created; a
    known registry person is linked; a job resumed after a restart skips processed rows."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.OCHAG_IMPORT_BATCH = 2
    known = person_create(
        actor=None,
        data=PersonData(
            territory=cast.municipality_a,
            last_name="Морозов",
            first_name="Глеб",
            patronymic="Ильич",
            sex="M",
            birth_year=2012,
            birth_month=6,
            birth_day=1,
        ),
    )
    rows = [
        "Новиков;Степан;Олегович;03.03.2013;Город А;;persistent_truancy;Пропуски",
        "Новиков;Степан;Олегович;03.03.2013;Город А;;persistent_truancy;Опоздания",
        "Морозов;Глеб;Ильич;01.06.2012;Город А;;persistent_truancy;",
    ]
    school = UserFactory(agency=bodies["school"])
    job, _ = bulk.import_job_create(actor=school, upload=_csv(rows))
    job = bulk.import_job_run(job_id=job.pk)
    assert (job.created, job.errors, job.processed) == (3, [], 3)
    subjects = SignalSubject.objects.filter(signal__channel=Channel.BULK).order_by("signal_id")
    first, second, third = subjects
    assert first.decision == "new" and second.person_id == first.person_id
    assert third.person == known
    assert Person.objects.filter(last_name="Новиков").count() == 1
    # Resume: a job stopped after its first batch continues from there.
    job2, _ = bulk.import_job_create(
        actor=school,
        upload=_csv(
            [r.replace("Город А", "Город А ") for r in rows]
            + ["Лебедев;Максим;;02.02.2012;Город А;;persistent_truancy;"]
        ),
    )
    ImportJob.objects.filter(pk=job2.pk).update(processed=2, status=ImportStatus.RUNNING)
    job2 = bulk.import_job_run(job_id=job2.pk)
    assert job2.processed == 4 and job2.created + job2.duplicates == 2


def test_bulk_import_xlsx_and_missing_columns(
    cast: Cast, bodies: dict[str, Agency], settings, tmp_path
) -> None:
    from openpyxl import Workbook

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    wb = Workbook()
    ws = wb.active
    ws.append(["Фамилия", "Имя", "Дата рождения", "Показатели"])
    ws.append(["Кузнецов", "Иван", dt.date(2012, 9, 1), "persistent_truancy"])
    buf = io.BytesIO()
    wb.save(buf)
    job, _ = bulk.import_job_create(
        actor=cast.worker_a, upload=SimpleUploadedFile("a.xlsx", buf.getvalue())
    )
    assert bulk.import_job_run(job_id=job.pk).created == 1
    # Missing columns are named on the upload page at once, and nothing is queued.
    with pytest.raises(ValidationError) as refused:
        bulk.import_job_create(actor=cast.worker_a, upload=SimpleUploadedFile("b.csv", b"x;y\n1;2"))
    assert "Фамилия" in refused.value.message_dict["file"][0]
    # A file that changed after the upload fails in the worker with the same message.
    bad, _ = bulk.import_job_create(
        actor=cast.worker_a,
        upload=SimpleUploadedFile("b.csv", _csv(["Ким;Ли;;01.01.2012;;;cruelty;"]).read()),
    )
    Path(bad.file.path).write_bytes(b"x;y\n1;2")
    bad = bulk.import_job_run(job_id=bad.pk)
    assert bad.status == ImportStatus.FAILED and "Фамилия" in bad.errors[0][1]
    with pytest.raises(ValidationError):
        bulk.import_job_create(actor=cast.worker_a, upload=SimpleUploadedFile("c.txt", b"x"))
