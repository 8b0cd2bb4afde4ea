"""A table as a PDF (Cyrillic fonts, numbered pages, printed by and when), through the PDF
helpers the cases app offers for its resolutions."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from ochag.access.models import User
from ochag.cases.pdf import Stamp, p, render
from ochag.core.exports import Cell


def table_pdf(
    *, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]], user: User
) -> bytes:
    data = [[p(str(h), "small") for h in header]]
    data += [[p("" if cell is None else str(cell), "small") for cell in row] for row in rows]
    table = Table(data, colWidths=[20 * mm, 120 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    stamp = Stamp(case_number=title, printed_by=user.display_name, printed_at=timezone.now())
    return render(title=title, stamp=stamp, story=[table])
