"""Every export neutralises formula-leading text and is written to the audit log."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from ochag.conftest import Cast
from ochag.core.exports import (
    FORMULA_LEADS,
    csv_bytes,
    neutralise,
    pdf_export,
    table_export,
    xlsx_bytes,
)
from ochag.core.models import AuditAction, AuditEvent

HOSTILE = [lead + 'HYPERLINK("http://evil";"x")' for lead in FORMULA_LEADS]


def test_neutralise_quotes_only_formula_leading_text() -> None:
    for value in HOSTILE:
        assert neutralise(value) == "'" + value
    assert neutralise("Иванова") == "Иванова"
    assert neutralise("") == ""
    # Numbers stay numbers, negative ones included: they are not text a formula can hide in.
    assert neutralise(-5) == -5
    assert neutralise(None) is None


def test_csv_neutralises_every_cell_and_counts_rows() -> None:
    rows = [[i, value] for i, value in enumerate(HOSTILE)]
    content, count = csv_bytes(["=Заголовок", "Ошибка"], rows)
    text = content.decode("utf-8")
    assert count == len(HOSTILE)
    assert text.startswith("\ufeff'=Заголовок;")
    parsed = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert [row[1] for row in parsed[1:]] == ["'" + value for value in HOSTILE]


def test_xlsx_stores_formula_leading_text_as_text() -> None:
    content, count = xlsx_bytes(["Строка", "Ошибка"], [[1, value] for value in HOSTILE])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    values = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert count == len(HOSTILE)
    # A carriage return comes back from the file as a line feed; what matters is the quote.
    assert [value.replace("\n", "\r") for value in values] == ["'" + value for value in HOSTILE]
    assert all(cell.data_type == "s" for cell in sheet["B"][1:])


@pytest.mark.parametrize("filename", ["errors.csv", "errors.xlsx"])
def test_a_table_export_is_audited_with_what_rows_and_for_whom(cast: Cast, filename: str) -> None:
    response = table_export(
        actor=cast.worker_a,
        what="test_rows",
        filename=filename,
        header=["n"],
        rows=[[1], [2], [3]],
        obj=cast.agency_a,
    )
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert event.actor == cast.worker_a
    assert event.object_id == str(cast.agency_a.pk)
    assert event.detail == {
        "what": "test_rows",
        "format": filename.rsplit(".", 1)[1],
        "rows": 3,
        "for": "worker_a",
    }


def test_a_pdf_export_is_audited_with_its_recipient(cast: Cast) -> None:
    response = pdf_export(
        actor=cast.coordinator,
        what="summary",
        filename="s.pdf",
        content=b"%PDF-1.4",
        rows=2,
        recipient="Прокуратура",
    )
    assert response["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert event.detail["for"] == "Прокуратура" and event.detail["rows"] == 2
