"""Bulk upload of signals from an agency's CSV or XLSX file, run as a background task.

The file is checked and stored at once (what is wrong with it is said on the upload page),
and the job is queued. The worker reads it in batches of ``OCHAG_IMPORT_BATCH`` rows; each
batch is one transaction through :func:`ochag.signals.intake.signals_create_many` that also
saves the job's progress, so a crash at any moment leaves the progress saying exactly which
rows are in. A bad row never stops the others and ends up in the row-level error report; a
row already imported (same natural key from the same agency) is counted, not repeated.

**A killed worker.** A run holds the job by a lease that every batch renews (its
``heartbeat_at``) in the batch's own transaction, and only the holder may write the job. A
job whose holder has been silent for longer than ``OCHAG_IMPORT_LEASE_SECONDS`` has stalled:
:func:`watch_imports`, a task that re-queues itself every minute while any import is
unfinished, hands it to a new run, which goes on after the last committed batch. The upload
page shows a stalled job as stalled, with the rows done; an administrator can resume it at
once or cancel it. A run that lost its lease (it was only slow, and another took over) stops
at its next batch, whose transaction is rolled back: no row is ever imported twice.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ochag.access import notifications
from ochag.access.models import User
from ochag.core.services import audit_record
from ochag.core.statistics import BULK_ROWS, statistics_refresh_changed
from ochag.signals import intake
from ochag.signals.bulk_files import (
    FileProblem,
    RowContext,
    check_upload,
    columns_of,
    parse_row,
    read_table,
)
from ochag.signals.config import IntakeContext
from ochag.signals.inputs import SignalInput
from ochag.signals.models import (
    ImportJob,
    ImportStatus,
    Signal,
    SignalAction,
    import_lease,
)

UNFINISHED = (ImportStatus.QUEUED, ImportStatus.RUNNING)
WATCH_EVERY_SECONDS = 60
# The kind of the notifications an import sends (access's notification table).
IMPORT_KIND = "signals.import"


class LeaseLost(Exception):
    """Another run holds the job now (this one was taken for dead), or it was cancelled."""


def file_digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def import_job_create(*, actor: User, upload: UploadedFile) -> tuple[ImportJob, bool]:
    """Check and store the file and queue the job. The same file from the same agency
    returns the earlier job instead: re-uploading creates nothing twice. ValidationError,
    in Russian, for a file that cannot be imported."""
    if actor.agency is None:
        raise ValidationError({"file": [_("Only staff of an agency can upload signals.")]})
    name = (upload.name or "").lower()
    if not name.endswith((".csv", ".xlsx")):
        raise ValidationError({"file": [_("Upload a CSV or XLSX file.")]})
    if (upload.size or 0) > 50 * 1024 * 1024:
        raise ValidationError({"file": [_("The file is larger than 50 MB.")]})
    digest = file_digest(upload)
    existing = ImportJob.objects.filter(agency=actor.agency, file_hash=digest).first()
    if existing is not None:
        return existing, False
    job = ImportJob(
        agency=actor.agency, user=actor, file_name=(upload.name or "")[-200:], file_hash=digest
    )
    job.file.save(
        f"{secrets.token_hex(16)}{'.xlsx' if name.endswith('.xlsx') else '.csv'}",
        upload,
        save=False,
    )
    try:
        check_upload(job.file.path)
    except FileProblem as exc:
        job.file.delete(save=False)
        raise ValidationError({"file": [str(exc)]}) from None
    job.heartbeat_at = timezone.now()
    job.save()
    audit_record(
        actor=actor,
        action=SignalAction.IMPORT_STARTED,
        obj=job,
        territory=actor.agency.territory,
        object_label=job.file_name,
    )
    # Queued in this transaction: the database task queue commits with the job.
    run_import.enqueue(job_id=job.pk)
    watch_schedule()
    return job, True


@task
def run_import(job_id: int) -> int:
    """Process an uploaded signal file (background task); returns the signals created."""
    return import_job_run(job_id=job_id).created


@task
def watch_imports() -> int:
    """Resume the imports whose worker died; queue the next look while any is unfinished.
    Returns how many were resumed."""
    resumed = import_jobs_resume_stalled()
    if ImportJob.objects.filter(status__in=UNFINISHED).exists():
        watch_schedule(force=True)
    return resumed


def watch_schedule(*, force: bool = False) -> None:
    """Queue the next :func:`watch_imports` unless one is already waiting (``force``: the
    running watch queues its successor)."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=watch_imports.module_path, status=TaskResultStatus.READY
    )
    if force or not waiting.exists():
        run_after = timezone.now() + import_lease() / 2
        watch_imports.using(run_after=run_after).enqueue()


def _stalled() -> Q:
    return Q(status__in=UNFINISHED, heartbeat_at__lt=timezone.now() - import_lease())


def import_jobs_resume_stalled() -> int:
    """Hand every stalled import to a new run; the number handed over."""
    count = 0
    for job in ImportJob.objects.filter(_stalled()).select_related("agency__territory"):
        count += _resume(job, actor=None)
    return count


def _resume(job: ImportJob, *, actor: User | None) -> int:
    with transaction.atomic():
        # Taken from the silent holder only if it is still silent (compare and set).
        taken = ImportJob.objects.filter(
            pk=job.pk, status__in=UNFINISHED, lease=job.lease, heartbeat_at=job.heartbeat_at
        ).update(lease="", heartbeat_at=timezone.now(), resumed=F("resumed") + 1)
        if not taken:
            return 0
        audit_record(
            actor=actor,
            action=SignalAction.IMPORT_RESUMED,
            obj=job,
            territory=job.agency.territory,
            object_label=job.file_name,
            detail={"processed": job.processed, "automatic": actor is None},
        )
        run_import.enqueue(job_id=job.pk)
        watch_schedule()
    return 1


def import_job_resume(*, actor: User, job: ImportJob) -> bool:
    """An administrator resumes a stalled import now; False if it was not stalled."""
    if not job.stalled:
        return False
    return bool(_resume(job, actor=actor))


@transaction.atomic
def import_job_cancel(*, actor: User, job: ImportJob) -> bool:
    """An administrator cancels an unfinished import; its rows imported so far stay. A run
    still working on it stops at its next batch. False if it had already finished."""
    cancelled = ImportJob.objects.filter(pk=job.pk, status__in=UNFINISHED).update(
        status=ImportStatus.CANCELLED, lease="", finished_at=timezone.now()
    )
    if cancelled:
        audit_record(
            actor=actor,
            action=SignalAction.IMPORT_CANCELLED,
            obj=job,
            territory=job.agency.territory,
            object_label=job.file_name,
            detail={"processed": job.processed},
        )
    return bool(cancelled)


def _acquire(job_id: int) -> str | None:
    """Take the job's lease: a queued job, or one whose holder is silent. None if a live
    run holds it or it is finished."""
    lease = uuid.uuid4().hex
    now = timezone.now()
    free = Q(lease="") | Q(heartbeat_at__lt=now - import_lease())
    taken = (
        ImportJob.objects.filter(Q(pk=job_id, status__in=UNFINISHED) & free)
        .update(lease=lease, heartbeat_at=now, status=ImportStatus.RUNNING)
    )  # fmt: skip
    return lease if taken else None


def _save(job: ImportJob, holder: str, **extra: Any) -> None:
    """Write the job's progress as the lease holder, renewing the lease; LeaseLost if the
    job is another run's now or was cancelled. Called inside the batch's transaction."""
    fields = ["processed", "created", "duplicates", "errors", "total", *extra]
    for name, value in extra.items():
        setattr(job, name, value)
    values = {name: getattr(job, name) for name in fields}
    saved = ImportJob.objects.filter(pk=job.pk, lease=holder, status=ImportStatus.RUNNING).update(
        heartbeat_at=timezone.now(), **values
    )
    if not saved:
        raise LeaseLost


def import_job_run(*, job_id: int) -> ImportJob:
    """Process the file batch by batch from where the last committed batch left off."""
    lease = _acquire(job_id)
    job = ImportJob.objects.select_related("agency", "agency__territory", "user").get(pk=job_id)
    if lease is None:
        return job
    try:
        _run(job, lease)
    except LeaseLost:
        job.refresh_from_db()
    return job


def _run(job: ImportJob, lease: str) -> None:
    try:
        rows = read_table(job.file.path)
        columns = columns_of(rows[0])
    except (FileProblem, OSError) as exc:
        with transaction.atomic():
            job.errors = [[0, str(exc)]]
            _save(job, lease, status=ImportStatus.FAILED, finished_at=timezone.now(), lease="")
        return
    body = rows[1:]
    ctx = _ImportContext(job)
    with transaction.atomic():
        _save(job, lease, total=len(body))
    seen: set[str] = set()
    batch = settings.OCHAG_IMPORT_BATCH
    # Resumed: the rows of the batches already committed are skipped.
    for start in range(job.processed, len(body), batch):
        with transaction.atomic():
            _import_batch(ctx, body[start : start + batch], start, columns, seen)
            job.processed = min(start + batch, len(body))
            job.errors.sort(key=lambda e: e[0])  # unreadable rows come before refused ones
            _save(job, lease)
    with transaction.atomic():
        _save(job, lease, status=ImportStatus.DONE, finished_at=timezone.now(), lease="")
        _finish(job, ctx)
    if job.created >= BULK_ROWS:
        statistics_refresh_changed()  # a large file changes tables' shape (core.statistics)


def _finish(job: ImportJob, ctx: _ImportContext) -> None:
    audit_record(
        actor=job.user,
        action=SignalAction.IMPORT_FINISHED,
        obj=job,
        territory=job.agency.territory,
        object_label=job.file_name,
        detail={"created": job.created, "duplicates": job.duplicates, "errors": len(job.errors)},
    )
    notifications.notify(
        kind=IMPORT_KIND,
        recipient=job.user,
        text=_(
            "Import of %(name)s finished: %(created)s created, %(dup)s already imported, "
            "%(err)s errors."
        )
        % {
            "name": job.file_name,
            "created": job.created,
            "dup": job.duplicates,
            "err": len(job.errors),
        },
    )
    for agency_id, count in ctx.routed.items():
        staff = User.objects.filter(agency_id=agency_id, is_active=True).values_list(
            "pk", flat=True
        )
        text = ngettext(
            "%(count)s new signal from an import in your queue.",
            "%(count)s new signals from an import in your queue.",
            count,
        ) % {"count": count}
        notifications.notify_many(
            [notifications.build(kind=IMPORT_KIND, text=text, recipient=u) for u in staff]
        )


def _flatten(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for messages in exc.message_dict.values() for m in messages]
    return [str(m) for m in exc.messages]


class _ImportContext:
    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.actor = job.user
        self.intake = IntakeContext(job.agency.territory)
        config = self.intake.config
        self.rows = RowContext.build(
            file_name=job.file_name,
            home=job.agency.territory,
            municipalities=config.municipalities,
            indicators=config.indicators,
        )
        # Signals this run routed, per body (a resumed run counts only its own share).
        self.routed: dict[int, int] = {}


def _import_batch(
    ctx: _ImportContext,
    rows: list[list[str]],
    start: int,
    columns: dict[str, int],
    seen: set[str],
) -> None:
    """One intake call for a batch of rows, inside the caller's transaction; a bad row is
    refused by the intake before anything is written and reported, the others go on."""
    job = ctx.job
    parsed: list[tuple[int, SignalInput]] = []
    for number, row in enumerate(rows, start=start + 2):
        try:
            parsed.append((number, parse_row(ctx.rows, row, columns)))
        except ValueError as exc:
            job.errors.append([number, str(exc)])
    known = set(
        Signal.objects.filter(
            reporting_agency=job.agency, source_key__in=[d.source_key for _n, d in parsed]
        ).values_list("source_key", flat=True)
    )
    fresh: list[tuple[int, SignalInput]] = []
    for number, data in parsed:
        if data.source_key in known or data.source_key in seen:
            job.duplicates += 1
            continue
        seen.add(data.source_key)
        fresh.append((number, data))
    # A new scorer per batch: the candidates of the batch's own children, no more.
    ctx.intake.fresh_linker()
    results: list[Signal | ValidationError | None]
    try:
        with transaction.atomic():
            results = list(
                intake.signals_create_many(
                    actor=ctx.actor, items=[d for _n, d in fresh], quiet=True, context=ctx.intake
                )
            )
    except IntegrityError:
        # Another worker imported some of these rows at the same moment: row by row now,
        # each in its own savepoint, so only the rows it took are counted as duplicates.
        results = [_import_one(ctx, data) for _n, data in fresh]
    for (number, _data), result in zip(fresh, results, strict=True):
        if result is None:
            job.duplicates += 1
        elif isinstance(result, ValidationError):
            job.errors.append([number, "; ".join(_flatten(result))])
        else:
            job.created += 1
            if result.routed_to_id is not None:
                ctx.routed[result.routed_to_id] = ctx.routed.get(result.routed_to_id, 0) + 1


def _import_one(ctx: _ImportContext, data: SignalInput) -> Signal | ValidationError | None:
    ctx.intake.fresh_linker()  # forget persons of the rolled-back batch
    try:
        with transaction.atomic():
            return intake.signals_create_many(
                actor=ctx.actor, items=[data], quiet=True, context=ctx.intake
            )[0]
    except IntegrityError:
        return None
