"""Reading an uploaded list of signals: the file, its columns and each row.

What Russian offices actually save is accepted as it is: CSV in UTF-8 (with or without the
byte-order mark Excel writes), in Windows-1251 (what Russian Excel saves as "CSV") or in
UTF-16 ("Unicode text"); cells separated by ``;`` (Excel's Russian default), ``,`` or tab;
and XLSX workbooks (the first sheet). What is wrong with a file that cannot be used is said
in Russian, on the upload page itself (:class:`FileProblem`).

Indicators are given by code or by exact Russian name (any letter case), several in one cell
separated by :data:`INDICATOR_SEPARATOR` or on separate lines of the cell: names contain
commas, never a vertical bar or a line break (``Indicator.clean`` refuses them).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ochag.core.dates import PartialDate
from ochag.core.models import Territory
from ochag.signals.inputs import SignalInput, SubjectInput
from ochag.signals.models import INDICATOR_SEPARATOR, Basis, Channel, Indicator, SubjectRole

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
DELIMITERS = (";", ",", "\t")
# The header and an example row of the template offered on the upload page.
TEMPLATE_HEADER = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Муниципалитет", "Адрес",
                   "Показатели", "Описание"]  # fmt: skip


class FileProblem(Exception):
    """Why a whole file cannot be imported, in words its sender understands."""


def read_table(path: str, *, limit: int | None = None) -> list[list[str]]:
    """The file's rows of cells (empty rows left out), the header first; ``limit`` reads
    only that many rows (a check at upload). FileProblem if the file cannot be used."""
    if path.lower().endswith(".xlsx"):
        rows = _read_xlsx(path, limit)
    else:
        rows = _read_csv(Path(path).read_bytes(), limit)
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise FileProblem(_("The file is empty."))
    if len(rows) == 1:
        raise FileProblem(_("The file has no rows: it holds only the header."))
    return rows


def _read_xlsx(path: str, limit: int | None) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileProblem(
            _(
                "The file is not an Excel workbook (XLSX), or it is damaged. Open it in Excel "
                "and save it again as «Книга Excel (*.xlsx)» or as CSV."
            )
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True, max_row=limit):
            rows.append([_cell(v) for v in values])
        return rows
    finally:
        workbook.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def decode(data: bytes) -> str:
    """The text of a CSV file in UTF-8 (with or without BOM), UTF-16 or Windows-1251."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Russian Excel's "CSV (разделители — запятые)": every byte but 0x98 is a letter.
        return data.decode("cp1251")
    except UnicodeDecodeError:
        raise FileProblem(
            _("The file's encoding is not recognised: save it as CSV in UTF-8 or Windows-1251.")
        ) from None


def delimiter_of(header: str) -> str:
    """The cell separator of a CSV file, from its header line: the candidate that splits it
    into the most known column names (then the most cells)."""

    def score(candidate: str) -> tuple[int, int]:
        cells = [c.strip().strip('"').lower() for c in header.split(candidate)]
        return sum(c in IMPORT_COLUMNS for c in cells), len(cells)

    return max(DELIMITERS, key=score)


def _read_csv(data: bytes, limit: int | None) -> list[list[str]]:
    if data[:4] == b"PK\x03\x04":
        raise FileProblem(_("The file is an Excel workbook: give it the .xlsx extension."))
    text = decode(data)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(first))
    rows = []
    for row in reader:
        rows.append([cell.strip() for cell in row])
        if limit is not None and len(rows) >= limit:
            break
    return rows


def columns_of(header: list[str]) -> dict[str, int]:
    """Column positions by field; FileProblem naming what is missing."""
    names = [c.strip().lower() for c in header]
    columns = {IMPORT_COLUMNS[h]: i for i, h in enumerate(names) if h in IMPORT_COLUMNS}
    missing = [c for c in REQUIRED_IMPORT_COLUMNS if c not in columns]
    if missing:
        labels = {v: k for k, v in IMPORT_COLUMNS.items()}
        raise FileProblem(
            _(
                "Missing columns: %(cols)s. The first row must name the columns: %(all)s "
                "(download the template)."
            )
            % {
                "cols": ", ".join(labels[m].capitalize() for m in missing),
                "all": ", ".join(TEMPLATE_HEADER),
            }
        )
    return columns


def check_upload(path: str) -> None:
    """What the upload page checks at once: the file can be read, names its columns and
    has at least one row. FileProblem otherwise; the rows are read by the import."""
    rows = read_table(path, limit=2)
    columns_of(rows[0])


@dataclass
class RowContext:
    """What a file's rows are read against: its agency's municipalities and indicators."""

    file_name: str
    home: Territory  # the uploading agency's territory: rows without a municipality
    territories: dict[str, Territory]  # by lower-case name or OKTMO code
    indicators: dict[str, Indicator]  # by code and by lower-case Russian name

    @classmethod
    def build(
        cls, *, file_name: str, home: Territory, municipalities: list[Territory],
        indicators: dict[str, Indicator]
    ) -> RowContext:  # fmt: skip
        territories: dict[str, Territory] = {}
        for t in municipalities:
            territories[t.name.lower()] = t
            if t.oktmo:
                territories[t.oktmo] = t
        by_name = dict(indicators)
        by_name.update({i.name_ru.lower(): i for i in indicators.values()})
        return cls(file_name, home, territories, by_name)


def parse_birth(text: str) -> str:
    """ДД.ММ.ГГГГ, ММ.ГГГГ, ГГГГ (or ISO) to YYYY-MM-DD, YYYY-MM or YYYY; ValueError with a
    Russian message otherwise."""
    try:
        return PartialDate.parse(text).iso
    except ValueError:
        raise ValueError(
            _("date of birth %(value)s is not a valid date (ДД.ММ.ГГГГ)") % {"value": text.strip()}
        ) from None


def indicator_codes(ctx: RowContext, cell: str) -> list[str]:
    """Indicator codes of a cell: codes or exact names, separated by a vertical bar or on
    separate lines; ValueError naming an unknown one."""
    codes = []
    for token in (
        cell.replace("\r", "\n").replace("\n", INDICATOR_SEPARATOR).split(INDICATOR_SEPARATOR)
    ):
        token = " ".join(token.split()).lower()
        if not token:
            continue
        indicator = ctx.indicators.get(token)
        if indicator is None:
            raise ValueError(_("unknown indicator %(value)s") % {"value": token})
        codes.append(indicator.code)
    if not codes:
        raise ValueError(_("at least one indicator is required"))
    return codes


def parse_row(ctx: RowContext, row: list[str], columns: dict[str, int]) -> SignalInput:
    def get(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) and row[index] else ""

    if any("\x00" in cell for cell in row):
        # PostgreSQL text cannot hold it; the row is reported rather than silently altered.
        raise ValueError(_("the row contains a NUL character"))
    last, first = get("last_name"), get("first_name")
    if not last or not first:
        raise ValueError(_("surname and first name are required"))
    birth = parse_birth(get("birth_date")) if get("birth_date") else ""
    if not birth:
        raise ValueError(_("date of birth is required"))
    territory_name = get("territory").lower()
    territory = ctx.territories.get(territory_name) if territory_name else ctx.home
    if territory is None or territory.level != Territory.Level.MUNICIPALITY:
        raise ValueError(_("unknown municipality %(value)s") % {"value": get("territory")})
    codes = indicator_codes(ctx, get("indicators"))
    text = get("text") or _("Imported from %(file)s") % {"file": ctx.file_name}
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
    return SignalInput(
        channel=Channel.BULK,
        basis=Basis.DUTY_ART9,
        territory=territory,
        original_text=text,
        indicator_codes=codes,
        address=get("address"),
        source_key=hashlib.sha256(natural.encode()).hexdigest(),
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


def template_workbook(indicators: list[Indicator]) -> bytes:
    """The XLSX template the upload page offers: the columns with an example row, and a
    second sheet listing every indicator's code and exact name."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = "Сигналы"
    sheet.append(TEMPLATE_HEADER)
    example = indicators[:2]
    sheet.append([
        "Иванова", "Мария", "Сергеевна", "05.03.2015", "", "ул. Школьная, 1",
        f" {INDICATOR_SEPARATOR} ".join(i.name_ru for i in example),
        _("What happened, in your own words"),
    ])  # fmt: skip
    for column, width in zip("ABCDEFGH", (16, 14, 16, 14, 18, 24, 60, 40), strict=True):
        sheet.column_dimensions[column].width = width
    listing: Any = workbook.create_sheet("Показатели")
    listing.append(["Код", "Название", "Цвет"])
    for indicator in indicators:
        listing.append([indicator.code, indicator.name_ru, indicator.get_colour_display()])
    listing.column_dimensions["A"].width = 28
    listing.column_dimensions["B"].width = 80
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
