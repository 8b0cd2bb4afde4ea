"""Property test of a resumed import (issue 18): a file of N rows whose worker dies at any
batch — before the batch's rows are written, or after they are written but before its
progress is saved — and that is then resumed through the lease logic yields exactly what an
uninterrupted import of the same file yields — also when it dies after the last batch,
before the job is marked done: the same signals (subjects, indicators,
routing, linked persons), the same counts of created, duplicate and refused rows, the same
errors. Files mix good rows, exact repeats (duplicates), rows of an unknown municipality
and unknown indicators (refused), and several children of one family (linking).

In-process on both databases: each import runs in a savepoint that is rolled back, so the
two runs of one example start from the same empty registry. ``OCHAG_INTEGRITY_EXAMPLES``
sets the number of files; with ``OCHAG_IMPORT_REPORT`` the figures are written to that file
(``bench/integrity/run.sh`` prints them).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections import Counter
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ochag.access.models import Agency, User
from ochag.access.tests.factories import UserFactory
from ochag.registry.models import Person
from ochag.signals import bulk
from ochag.signals.models import ImportJob, ImportStatus, Signal

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("OCHAG_INTEGRITY_EXAMPLES", "10"))
REPORT = os.environ.get("OCHAG_IMPORT_REPORT", "")
FIGURES: Counter[str] = Counter()

SURNAMES = ["Петрова", "Сидорова", "Кузнецова"]
NAMES = ["Мария", "Анна", "Дарья"]
PLACES = ["Город А", "Город А", "Район Б", "Нигде"]  # «Нигде»: refused, unknown municipality
INDICATORS = ["cruelty", "persistent_truancy", "cruelty | persistent_truancy", "no_such_code"]

row_st = st.tuples(
    st.integers(0, len(SURNAMES) - 1),
    st.integers(0, len(NAMES) - 1),
    st.integers(1, 3),  # day of birth: few, so children of one family and repeats meet
    st.sampled_from(PLACES),
    st.sampled_from(INDICATORS),
)


# Where the worker dies: at the start of a batch (after the previous one committed), in the
# middle of one (its rows written, its progress not yet saved: both roll back), or after the
# last batch, before the job is marked done.
WHEN = ("before its rows", "after its rows", "before it is marked done")


class Killed(Exception):
    """The worker process dies here."""


@pytest.fixture
def school(bodies: dict[str, Agency], settings: Any, tmp_path: Path) -> User:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.OCHAG_IMPORT_LEASE_SECONDS = 60
    return UserFactory(agency=bodies["school"])


def _file(rows: list[tuple[int, int, int, str, str]], repeats: list[int]) -> bytes:
    lines = ["Фамилия;Имя;Дата рождения;Муниципалитет;Показатели;Описание"]
    body = [f"{SURNAMES[s]};{NAMES[n]};{d:02d}.03.2014;{place};{codes};Сообщение о {SURNAMES[s]}"
            for s, n, d, place, codes in rows]  # fmt: skip
    for i in repeats:  # the same row again further down the file: a duplicate
        body.append(body[i % len(body)])
    return "\n".join(lines + body).encode("utf-8")


def _upload(user: User, content: bytes) -> ImportJob:
    job, created = bulk.import_job_create(
        actor=user, upload=SimpleUploadedFile("rows.csv", content)
    )
    assert created
    return job


def _snapshot(job_id: int) -> dict[str, Any]:
    """Everything an import leaves, without what differs by nature (ids, receipt numbers,
    times, which run routed which share)."""
    job = ImportJob.objects.get(pk=job_id)
    signals = []
    for s in Signal.objects.prefetch_related("subjects__person", "indicator_rows__indicator"):
        subjects = sorted(
            (sub.role, sub.last_name, sub.first_name, sub.birth_date, sub.decision,
             (sub.person.full_name, sub.person.birth_iso) if sub.person else None)
            for sub in s.subjects.all()
        )  # fmt: skip
        codes = sorted(i.indicator.code for i in s.indicator_rows.all())
        signals.append((s.source_key, s.original_text, s.colour, s.track, s.territory_id,
                        s.routed_to_id, s.status, s.household.name if s.household else "",
                        subjects, codes))  # fmt: skip
    persons = sorted((p.full_name, p.birth_iso) for p in Person.objects.all())
    return {
        "job": (
            job.status,
            job.total,
            job.processed,
            job.created,
            job.duplicates,
            sorted(map(tuple, job.errors)),
        ),
        "signals": sorted(signals),
        "persons": persons,
    }


def _dies_at(batch: int, when: str) -> Any:
    """``bulk._import_batch`` that kills the run at the batch numbered ``batch`` (counted
    from the first batch this run imports)."""
    real = bulk._import_batch
    calls = {"n": 0}

    def batch_then_maybe_die(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == batch + 1 and when == "before its rows":
            raise Killed
        real(*args, **kwargs)
        if calls["n"] == batch + 1 and when == "after its rows":
            raise Killed  # written, progress not yet saved: the transaction rolls back

    if when == "before it is marked done":
        return mock.patch.object(bulk, "_finish", mock.Mock(side_effect=Killed))
    return mock.patch.object(bulk, "_import_batch", batch_then_maybe_die)


def _silence(job_id: int) -> None:
    """What a killed worker leaves: its lease, not renewed for longer than the lease lasts."""
    ImportJob.objects.filter(pk=job_id).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=61)
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(row_st, min_size=1, max_size=20),
    repeats=st.lists(st.integers(0, 19), max_size=4),
    batch=st.integers(1, 4),
    kills=st.data(),
)
def test_a_killed_and_resumed_import_yields_what_an_uninterrupted_one_does(
    school: User,
    rows: list[tuple[int, int, int, str, str]],
    repeats: list[int],
    batch: int,
    kills: st.DataObject,
) -> None:
    content = _file(rows, repeats)
    lines = len(rows) + len(repeats)
    with override_settings(OCHAG_IMPORT_BATCH=batch):
        with transaction.atomic():
            job = _upload(school, content)
            assert bulk.import_job_run(job_id=job.pk).status == ImportStatus.DONE
            expected = _snapshot(job.pk)
            transaction.set_rollback(True)

        # One or two deaths: the resumed run may die too, at a later batch of its own.
        deaths = kills.draw(st.integers(1, 2), label="deaths")
        with transaction.atomic():
            job = _upload(school, content)
            for _death in range(deaths):
                done = ImportJob.objects.get(pk=job.pk).processed
                left = math.ceil((lines - done) / batch)  # batches this run would import
                when = kills.draw(st.sampled_from(WHEN if left else WHEN[2:]), label="when")
                at = kills.draw(st.integers(0, max(left - 1, 0)), label="batch")
                with _dies_at(at, when), pytest.raises(Killed):
                    bulk.import_job_run(job_id=job.pk)
                died = ImportJob.objects.get(pk=job.pk)
                assert died.status == ImportStatus.RUNNING
                # What the job says is in is exactly what is in.
                assert Signal.objects.count() == died.created
                FIGURES[f"killed {when}"] += 1
                _silence(job.pk)
            resumed = bulk.import_job_run(job_id=job.pk)
            assert resumed.status == ImportStatus.DONE and resumed.resumed == 0
            got = _snapshot(job.pk)
            transaction.set_rollback(True)
    assert got == expected
    FIGURES["imports killed and resumed"] += 1
    FIGURES["imports with two deaths"] += deaths == 2
    FIGURES["rows imported"] += len(rows) + len(repeats)
    FIGURES["signals compared"] += len(expected["signals"])
    FIGURES["duplicate rows"] += expected["job"][4]
    FIGURES["refused rows"] += len(expected["job"][5])


@pytest.fixture(scope="module", autouse=True)
def _report() -> Any:
    yield
    if REPORT:
        with Path(REPORT).open("w", encoding="utf-8") as out:
            json.dump(dict(FIGURES) | {"examples setting": EXAMPLES}, out, ensure_ascii=False,
                      indent=1)  # fmt: skip
