"""Every file Ochag hands out (CSV, XLSX, PDF, error reports) goes through here.

Two things hold for every export, now and in apps still to come:

* a text cell a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return; values are stored as typed, so a person's name or a note can
  start that way) is written with a leading apostrophe, which spreadsheets show as text;
* the export is written to the audit log (kind ``exported``: what, how many rows, for whom)
  in the same transaction that read the rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.db import models, transaction
from django.http import HttpResponse

from ochag.core.actors import Actor
from ochag.core.models import AuditAction
from ochag.core.services import audit_record

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"

type Cell = str | int | float | None
type Row = Sequence[Cell]


def neutralise(value: Cell) -> Cell:
    """The value as a spreadsheet must show it: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def csv_bytes(header: Row, rows: Iterable[Row]) -> tuple[bytes, int]:
    """UTF-8 with a byte-order mark and ``;`` between cells (what Excel opens as columns in a
    Russian locale), every cell neutralised. Returns the content and the number of rows."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow([neutralise(cell) for cell in header])
    count = 0
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        count += 1
    return out.getvalue().encode("utf-8"), count


def xlsx_bytes(header: Row, rows: Iterable[Row], *, sheet: str = "") -> tuple[bytes, int]:
    """One worksheet, every cell neutralised (openpyxl stores a string that starts with ``=``
    as a formula). Returns the content and the number of rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    worksheet = book.create_sheet(title=sheet[:31] or None)
    worksheet.append([neutralise(cell) for cell in header])
    count = 0
    for row in rows:
        worksheet.append([neutralise(cell) for cell in row])
        count += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count


def export_record(
    *,
    actor: Actor,
    what: str,
    file_format: str,
    rows: int,
    obj: models.Model | None = None,
    recipient: str = "",
) -> None:
    """The audit entry of one export; call it in the transaction that read the rows."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORTED,
        obj=obj,
        detail={
            "what": what,
            "format": file_format,
            "rows": rows,
            # Whom the file is for: its recipient when it leaves the agency, else the actor.
            "for": recipient or actor.username,
        },
    )


def _response(content: bytes, content_type: str, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Personal data: never kept by a browser's or a proxy's cache.
    response["Cache-Control"] = "no-store"
    return response


def table_export(
    *,
    actor: Actor,
    what: str,
    filename: str,
    header: Row,
    rows: Iterable[Row],
    obj: models.Model | None = None,
    recipient: str = "",
) -> HttpResponse:
    """A table as CSV or XLSX (chosen by ``filename``'s extension), audited."""
    xlsx = filename.endswith(".xlsx")
    with transaction.atomic():
        content, count = xlsx_bytes(header, rows) if xlsx else csv_bytes(header, rows)
        export_record(
            actor=actor,
            what=what,
            file_format="xlsx" if xlsx else "csv",
            rows=count,
            obj=obj,
            recipient=recipient,
        )
    return _response(content, XLSX_TYPE if xlsx else CSV_TYPE, filename, inline=False)


def pdf_export(
    *,
    actor: Actor,
    what: str,
    filename: str,
    content: bytes,
    rows: int,
    obj: models.Model | None = None,
    recipient: str = "",
) -> HttpResponse:
    """A rendered PDF, audited (``rows``: how many records it lists)."""
    export_record(
        actor=actor, what=what, file_format="pdf", rows=rows, obj=obj, recipient=recipient
    )
    return _response(content, PDF_TYPE, filename, inline=True)
