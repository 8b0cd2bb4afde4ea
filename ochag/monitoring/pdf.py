"""A table as a PDF (Cyrillic fonts, numbered pages, printed by and when), through core's PDF
skeleton."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from reportlab.lib.units import mm

from ochag.access.models import User
from ochag.core.exports import Cell
from ochag.core.pdf import Stamp, grid_table, render


def table_pdf(
    *, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]], user: User
) -> bytes:
    table = grid_table(header, rows, [20 * mm, 120 * mm, 30 * mm])
    stamp = Stamp(reference=title, printed_by=user.display_name, printed_at=timezone.now())
    return render(title=title, stamp=stamp, story=[table])
