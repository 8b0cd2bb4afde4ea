"""The PDF skeleton every app's official documents use (reportlab): fonts, styles, the page
frame, paragraphs and tables. The documents themselves (a КДН resolution, a case summary, the
placement commission's protocol, an indicator's table) stay with their apps.

The vendored DejaVu fonts are embedded, so Cyrillic text copies and searches as text.
Every page carries «Конфиденциально», the document's reference (a case or protocol number),
«стр. N из M», and the print date and user (ux.md, Print and PDF).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ochag.core.actors import Actor

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
        )


STYLES: dict[str, ParagraphStyle] = {}


def _styles() -> dict[str, ParagraphStyle]:
    if not STYLES:
        _register_fonts()
        STYLES["body"] = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14)
        STYLES["title"] = ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=6, alignment=1
        )
        STYLES["h2"] = ParagraphStyle(
            "h2", fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4
        )
        STYLES["small"] = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=11)
    return STYLES


@dataclass(frozen=True)
class Stamp:
    reference: str  # what the document is about: a case number, a protocol's number
    printed_by: str
    printed_at: dt.datetime


def stamp_for(actor: Actor, reference: str) -> Stamp:
    """The stamp of a document ``actor`` prints now: «Name (login)»."""
    return Stamp(
        reference,
        f"{actor.get_full_name() or actor.username} ({actor.username})",
        timezone.localtime(),
    )


def _numbered_canvas(stamp: Stamp) -> type[canvas.Canvas]:
    """A canvas that holds pages back until the end, so each can say «стр. N из M»."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = A4
            self.setFont(FONT_BOLD, 9)
            self.drawString(20 * mm, height - 12 * mm, "Конфиденциально")
            self.drawRightString(width - 20 * mm, height - 12 * mm, stamp.reference)
            self.setFont(FONT, 8)
            printed = stamp.printed_at.strftime("%d.%m.%Y %H:%M")
            self.drawString(20 * mm, 10 * mm, f"Напечатано {printed}, {stamp.printed_by}")
            self.drawRightString(width - 20 * mm, 10 * mm, f"стр. {self._pageNumber} из {total}")

    return NumberedCanvas


def p(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text: escaped, line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), _styles()[style])


def ruled(table: Table, padding: float) -> Table:
    """Cells aligned to the top, a thin rule under each row."""
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
            ]
        )
    )
    return table


def facts_table(rows: list[tuple[str, str]]) -> Table:
    """Label and value, one fact a row."""
    data = [[p(label, "small"), p(value)] for label, value in rows]
    return ruled(Table(data, colWidths=[50 * mm, 120 * mm]), 4)


def grid_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], col_widths: Sequence[float]
) -> Table:
    """A table with a header row repeated on every page; empty cells stay empty."""
    data = [[p(str(h), "small") for h in header]]
    data += [[p("" if cell is None else str(cell), "small") for cell in row] for row in rows]
    return ruled(Table(data, colWidths=list(col_widths), repeatRows=1), 3)


def render(
    *, title: str, stamp: Stamp, story: list[Flowable], heading: Sequence[Flowable] = ()
) -> bytes:
    """The document: ``heading`` (an issuer's name, say), the title, then ``story``."""
    _register_fonts()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=stamp.printed_by,
        subject=stamp.reference,
    )
    doc.build(
        [*heading, p(title, "title"), Spacer(1, 4 * mm), *story],
        canvasmaker=_numbered_canvas(stamp),
    )
    return buffer.getvalue()
