"""Issue 18 #1: an import whose worker process is killed (``kill -9`` of a real ``db_worker``)
is resumed by a restarted worker, and every row ends up imported exactly once.

The worker is a separate process, so it must see the test database: PostgreSQL only (the
SQLite test database lives in the test process's memory). The same lease logic is tested
in-process on both databases in test_import_resume.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from ochag.access.models import Agency
from ochag.access.tests.factories import UserFactory
from ochag.signals import bulk
from ochag.signals.models import ImportJob, ImportStatus, Signal

ROOT = Path(__file__).resolve().parents[3]
# Enough rows that the first worker cannot finish between a poll and the kill: it is killed
# as soon as its first batch is in, with hundreds of rows still to go.
ROWS = 600
BATCH = 15

# A transactional test: the root conftest re-seeds the indicators earlier ones flushed.
pytestmark = pytest.mark.django_db(transaction=True)


def _worker(tmp_path: Path) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "OCHAG_PRIVATE_MEDIA": str(tmp_path),
        "OCHAG_IMPORT_BATCH": str(BATCH),
        "OCHAG_IMPORT_LEASE_SECONDS": "3",
        "OCHAG_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_killed_worker_is_resumed_and_every_row_is_imported_once(
    cast, bodies: dict[str, Agency], tmp_path: Path, settings
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a test database it can reach (PostgreSQL)")
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    lines = ["Фамилия;Имя;Отчество;Дата рождения;Муниципалитет;Показатели;Описание"]
    lines += [
        f"Фамилия{i};Имя{i};;{1 + i % 28:02d}.{1 + i % 12:02d}.{2008 + i % 10};Город А;"
        f"persistent_truancy;Строка {i}"
        for i in range(ROWS)
    ]
    upload = SimpleUploadedFile("kill.csv", "\n".join(lines).encode("utf-8"))
    job, _ = bulk.import_job_create(actor=UserFactory(agency=bodies["school"]), upload=upload)

    first = _worker(tmp_path)
    try:
        started = _wait(lambda: ImportJob.objects.get(pk=job.pk).processed >= BATCH, seconds=180)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert started, "the first worker imported nothing"
    killed = ImportJob.objects.get(pk=job.pk)
    assert killed.status == ImportStatus.RUNNING and 0 < killed.processed < ROWS
    # Progress is saved with its batch: what it says is in is exactly what is in.
    assert Signal.objects.count() == killed.created == killed.processed

    second = _worker(tmp_path)
    try:
        finished = _wait(
            lambda: ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE, seconds=240
        )
    finally:
        second.terminate()
        second.wait(20)
    assert finished, "the stalled import was never resumed"
    done = ImportJob.objects.get(pk=job.pk)
    assert done.resumed == 1 and done.errors == []
    assert (done.processed, done.created, done.duplicates) == (ROWS, ROWS, 0)
    keys = list(Signal.objects.values_list("source_key", flat=True))
    assert len(keys) == len(set(keys)) == ROWS
