"""Bulk upload of signals from an agency's CSV or XLSX file, run as a background task.

The file is stored and queued at once; the worker reads it in batches of ``IMPORT_BATCH``
rows, each batch one transaction through :func:`ochag.signals.intake.signals_create_many`,
and saves its progress after each batch (the upload page polls it). A bad row never stops
the others and ends up in the row-level error report; a row already imported (same natural
key from the same agency) is counted, not repeated, so re-uploading creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ochag.access.models import User
from ochag.core.models import Territory
from ochag.core.services import audit_record
from ochag.signals import intake
from ochag.signals.config import IntakeContext
from ochag.signals.inputs import SignalInput, SubjectInput
from ochag.signals.models import (
    Basis,
    Channel,
    ImportJob,
    ImportStatus,
    Notification,
    Signal,
    SignalAction,
    SubjectRole,
)

IMPORT_COLUMNS = {
    "фамилия": "last_name",
    "имя": "first_name",
    "отчество": "patronymic",
    "дата рождения": "birth_date",
    "муниципалитет": "territory",
    "адрес": "address",
    "показатели": "indicators",
    "описание": "text",
}
REQUIRED_IMPORT_COLUMNS = ("last_name", "first_name", "birth_date", "indicators")
# Rows per transaction; progress is saved after each batch.
IMPORT_BATCH = 500


def file_digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def import_job_create(*, actor: User, upload: UploadedFile) -> tuple[ImportJob, bool]:
    """Store the file and queue the job. The same file from the same agency returns the
    earlier job instead: re-uploading creates nothing twice."""
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
    job.save()
    audit_record(
        actor=actor,
        action=SignalAction.IMPORT_STARTED,
        obj=job,
        territory=actor.agency.territory,
        object_label=job.file_name,
    )
    return job, True


def _read_rows(job: ImportJob) -> list[list[str]]:
    path = job.file.path
    if path.endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in values])
        workbook.close()
        return rows
    import csv

    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        return [row for row in csv.reader(fh, delimiter=delimiter)]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def _parse_birth(text: str) -> str:
    """ДД.ММ.ГГГГ (or ISO) to YYYY-MM-DD; ValueError with a Russian message otherwise."""
    text = text.strip()
    try:
        if "." in text:
            return dt.datetime.strptime(text, "%d.%m.%Y").date().isoformat()
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(
            _("date of birth %(value)s is not a valid date (ДД.ММ.ГГГГ)") % {"value": text}
        ) from None


@task
def run_import(job_id: int) -> int:
    """Process an uploaded signal file (background task); returns the signals created."""
    return import_job_run(job_id=job_id).created


def import_job_run(*, job_id: int) -> ImportJob:
    """Process the file row by row. A bad row never stops the others and always ends up in
    the error report; a row already imported (same natural key) is counted, not repeated."""
    job = ImportJob.objects.select_related("agency", "agency__territory", "user").get(pk=job_id)
    if job.status == ImportStatus.DONE:
        return job
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        rows = _read_rows(job)
    except Exception as exc:
        job.status, job.errors = (
            ImportStatus.FAILED,
            [[0, _("The file cannot be read: %(error)s") % {"error": exc}]],
        )
        job.finished_at = timezone.now()
        job.save()
        return job
    header = [c.strip().lower() for c in rows[0]] if rows else []
    columns = {IMPORT_COLUMNS[h]: i for i, h in enumerate(header) if h in IMPORT_COLUMNS}
    missing = [c for c in REQUIRED_IMPORT_COLUMNS if c not in columns]
    if missing:
        names = {v: k for k, v in IMPORT_COLUMNS.items()}
        job.status = ImportStatus.FAILED
        job.errors = [
            [
                1,
                _("Missing columns: %(cols)s")
                % {"cols": ", ".join(names[m].capitalize() for m in missing)},
            ]
        ]
        job.finished_at = timezone.now()
        job.save()
        return job
    body = rows[1:]
    job.total = len(body)
    job.save(update_fields=["total"])
    ctx = _ImportContext(job)
    errors: list[list[Any]] = list(job.errors)
    seen: set[str] = set()
    # Resumed after a worker restart: rows already processed are skipped.
    for start in range(job.processed, len(body), IMPORT_BATCH):
        _import_batch(ctx, body, start, columns, errors, seen)
        errors.sort(key=lambda e: e[0])  # a batch reports unreadable rows before refused ones
        job.processed = min(start + IMPORT_BATCH, len(body))
        job.errors = errors
        job.save(update_fields=["processed", "created", "duplicates", "errors"])
    job.errors = errors
    job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save()
        audit_record(
            actor=job.user,
            action=SignalAction.IMPORT_FINISHED,
            obj=job,
            territory=job.agency.territory,
            object_label=job.file_name,
            detail={"created": job.created, "duplicates": job.duplicates, "errors": len(errors)},
        )
        Notification.objects.create(
            user=job.user,
            text=_(
                "Import of %(name)s finished: %(created)s created, %(dup)s already imported, "
                "%(err)s errors."
            )
            % {
                "name": job.file_name,
                "created": job.created,
                "dup": job.duplicates,
                "err": len(errors),
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
            Notification.objects.bulk_create([Notification(user_id=u, text=text) for u in staff])
    return job


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
        # A file names municipalities and indicators in any letter case.
        self.territories: dict[str, Territory] = {}
        for t in config.municipalities:
            self.territories[t.name.lower()] = t
            if t.oktmo:
                self.territories[t.oktmo] = t
        self.indicators = dict(config.indicators)
        self.indicators.update({i.name_ru.lower(): i for i in config.indicators.values()})
        self.routed: dict[int, int] = {}


def _import_batch(
    ctx: _ImportContext,
    body: list[list[str]],
    start: int,
    columns: dict[str, int],
    errors: list[list[Any]],
    seen: set[str],
) -> None:
    """One transaction and one intake call for a batch of rows; a bad row is refused by the
    intake before anything is written and reported, the others go on."""
    fresh: list[tuple[int, SignalInput]] = []
    parsed: list[tuple[int, SignalInput]] = []
    for number, row in enumerate(body[start : start + IMPORT_BATCH], start=start + 2):
        try:
            parsed.append((number, _parse_row(ctx, row, columns)))
        except ValueError as exc:
            errors.append([number, str(exc)])
    known = set(
        Signal.objects.filter(
            reporting_agency=ctx.job.agency, source_key__in=[d.source_key for _n, d in parsed]
        ).values_list("source_key", flat=True)
    )
    job = ctx.job
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
        # each in its own transaction, so only the rows it took are counted as duplicates.
        results = [_import_one(ctx, data) for _n, data in fresh]
    for (number, _data), result in zip(fresh, results, strict=True):
        if result is None:
            job.duplicates += 1
        elif isinstance(result, ValidationError):
            errors.append([number, "; ".join(_flatten(result))])
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


def _parse_row(ctx: _ImportContext, row: list[str], columns: dict[str, int]) -> SignalInput:
    def get(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) and row[index] else ""

    if any("\x00" in cell for cell in row):
        # PostgreSQL text cannot hold it; the row is reported rather than silently altered.
        raise ValueError(_("the row contains a NUL character"))
    last, first = get("last_name"), get("first_name")
    if not last or not first:
        raise ValueError(_("surname and first name are required"))
    birth = _parse_birth(get("birth_date")) if get("birth_date") else ""
    if not birth:
        raise ValueError(_("date of birth is required"))
    territory_name = get("territory").lower()
    territory = ctx.territories.get(territory_name) if territory_name else ctx.job.agency.territory
    if territory is None or territory.level != Territory.Level.MUNICIPALITY:
        raise ValueError(_("unknown municipality %(value)s") % {"value": get("territory")})
    codes = []
    for token in get("indicators").replace(",", ";").split(";"):
        token = token.strip().lower()
        if not token:
            continue
        indicator = ctx.indicators.get(token)
        if indicator is None:
            raise ValueError(_("unknown indicator %(value)s") % {"value": token})
        codes.append(indicator.code)
    if not codes:
        raise ValueError(_("at least one indicator is required"))
    text = get("text") or _("Imported from %(file)s") % {"file": ctx.job.file_name}
    natural = "|".join(
        [
            last.lower(),
            first.lower(),
            get("patronymic").lower(),
            birth,
            str(territory.pk),
            ",".join(sorted(codes)),
            text,
        ]
    )
    key = hashlib.sha256(natural.encode()).hexdigest()
    return SignalInput(
        channel=Channel.BULK,
        basis=Basis.DUTY_ART9,
        territory=territory,
        original_text=text,
        indicator_codes=codes,
        address=get("address"),
        source_key=key,
        subjects=[
            SubjectInput(
                role=SubjectRole.CHILD,
                last_name=last,
                first_name=first,
                patronymic=get("patronymic"),
                birth_date=birth,
            )
        ],
    )
