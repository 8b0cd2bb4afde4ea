"""Issue 18 #1 and #2 in-process, on both databases: progress is saved in its batch's
transaction; a stalled import is detected by its lease and resumed, automatically or by an
administrator, who can also cancel it; a run that lost its lease writes nothing more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import Agency, User
from ochag.access.tests.factories import UserFactory
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.signals import bulk
from ochag.signals.models import ImportJob, ImportStatus, Signal, SignalAction

pytestmark = pytest.mark.django_db
ROWS = 7


@pytest.fixture(autouse=True)
def small_batches(settings, tmp_path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.OCHAG_IMPORT_BATCH = 2
    settings.OCHAG_IMPORT_LEASE_SECONDS = 60


@pytest.fixture
def school(bodies: dict[str, Agency]) -> User:
    return UserFactory(agency=bodies["school"])


def _job(user: User, rows: int = ROWS) -> ImportJob:
    lines = ["Фамилия;Имя;Дата рождения;Муниципалитет;Показатели;Описание"]
    lines += [f"Фамилия{i};Имя{i};0{1 + i % 9}.03.2012;Город А;cruelty;Строка {i}"
              for i in range(rows)]  # fmt: skip
    upload = SimpleUploadedFile("rows.csv", "\n".join(lines).encode())
    return bulk.import_job_create(actor=user, upload=upload)[0]


def _silence(job: ImportJob, *, seconds: int = 61) -> None:
    """What a killed worker leaves: the job running under its lease, not renewed since."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, lease="dead-worker",
        heartbeat_at=timezone.now() - dt.timedelta(seconds=seconds),
    )  # fmt: skip


def test_progress_is_saved_in_the_batch_transaction(school: User, monkeypatch) -> None:
    """A crash after a batch's rows are written but before its progress is saved rolls both
    back, so the resumed run neither repeats nor under-reports the batch (issue 18 #2)."""
    job = _job(school)
    real = bulk._save
    calls = {"n": 0}

    def crash_on_second_batch(job: ImportJob, holder: str, **extra: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # 1: the total, 2: the first batch, 3: the second batch
            raise RuntimeError("the worker dies here")
        real(job, holder, **extra)

    monkeypatch.setattr(bulk, "_save", crash_on_second_batch)
    with pytest.raises(RuntimeError):
        bulk.import_job_run(job_id=job.pk)
    crashed = ImportJob.objects.get(pk=job.pk)
    assert (crashed.processed, crashed.created) == (2, 2) == (2, Signal.objects.count())

    monkeypatch.setattr(bulk, "_save", real)
    _silence(crashed)
    done = bulk.import_job_run(job_id=job.pk)
    assert (done.status, done.processed, done.created, done.duplicates) == (
        ImportStatus.DONE, ROWS, ROWS, 0)  # fmt: skip
    assert Signal.objects.count() == ROWS


def test_a_live_run_keeps_its_job_and_a_stalled_one_is_resumed_by_the_watch(
    school: User, run_queued_tasks
) -> None:
    job = _job(school)
    _silence(job, seconds=5)  # silent, but not for longer than the lease: still alive
    assert bulk.import_job_run(job_id=job.pk).processed == 0
    assert bulk.watch_imports.call() == 0 and not ImportJob.objects.get(pk=job.pk).stalled

    _silence(job)
    assert ImportJob.objects.get(pk=job.pk).stalled
    assert bulk.watch_imports.call() == 1
    resumed = AuditEvent.objects.get(action=SignalAction.IMPORT_RESUMED)
    assert resumed.actor is None and resumed.detail["automatic"] is True
    run_queued_tasks()
    done = ImportJob.objects.get(pk=job.pk)
    assert (done.status, done.created, done.resumed) == (ImportStatus.DONE, ROWS, 1)
    # Nothing unfinished: the watch stops queueing itself.
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=bulk.watch_imports.module_path)
    before = waiting.count()
    bulk.watch_imports.call()
    assert waiting.count() == before


def test_a_run_that_lost_its_lease_writes_nothing_more(school: User, monkeypatch) -> None:
    """A slow run taken for dead: the new holder's lease makes the old run's next batch roll
    back, so no row is imported twice."""
    job = _job(school)
    real = bulk._import_batch
    calls = {"n": 0}

    def taken_over(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # another run takes the job while this batch is being written
            ImportJob.objects.filter(pk=job.pk).update(lease="someone-else")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk, "_import_batch", taken_over)
    stopped = bulk.import_job_run(job_id=job.pk)
    # The batch during which the lease was lost is rolled back (in a single test
    # connection the take-over itself with it), and the run stops there.
    assert (stopped.status, stopped.processed, stopped.created) == (ImportStatus.RUNNING, 2, 2)
    assert Signal.objects.count() == 2 and calls["n"] == 2


def test_the_page_shows_a_stalled_job_and_the_administrator_resumes_or_cancels_it(
    cast: Cast, school: User, client_for, run_queued_tasks
) -> None:
    job = _job(school)
    bulk.import_job_run(job_id=job.pk)  # all rows in
    stalled = _job(school, rows=3)
    ImportJob.objects.filter(pk=stalled.pk).update(processed=2, total=3, created=2)
    _silence(stalled)
    url = reverse("signals:import_detail", args=[stalled.pk])
    page = client_for(school).get(url).content.decode()
    assert "Остановлен" in page and "Обработано 2 из 3" in page
    assert "Возобновить сейчас" not in page  # the uploader sees, the administrator acts

    resume = reverse("signals:import_resume", args=[stalled.pk])
    cancel = reverse("signals:import_cancel", args=[stalled.pk])
    assert client_for(school).post(resume).status_code == 403  # theirs, read-only
    assert client_for(cast.worker_b).post(resume).status_code == 404  # not theirs
    assert client_for(cast.worker_b).get(url).status_code == 404
    admin = client_for(cast.admin)
    assert "Возобновить сейчас" in admin.get(url).content.decode()
    assert admin.post(resume).status_code == 302
    entry = AuditEvent.objects.get(action=SignalAction.IMPORT_RESUMED)
    assert entry.actor == cast.admin and entry.detail["processed"] == 2
    assert not ImportJob.objects.get(pk=stalled.pk).stalled

    _silence(stalled)
    assert admin.post(cancel).status_code == 302
    cancelled = ImportJob.objects.get(pk=stalled.pk)
    assert cancelled.status == ImportStatus.CANCELLED and not cancelled.stalled
    assert AuditEvent.objects.filter(action=SignalAction.IMPORT_CANCELLED).count() == 1
    run_queued_tasks()  # the queued resume finds the job cancelled and writes nothing
    assert ImportJob.objects.get(pk=stalled.pk).created == 2
