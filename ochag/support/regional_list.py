"""The regional list of services as the region publishes it: rows grouped by municipality
and type, as an XLSX table and as a PDF (the DejaVu fonts and paragraph styles of core's PDF
skeleton, so Cyrillic copies and searches as text). No personal data is in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import BytesIO
from itertools import groupby

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table

from ochag.core.exports import Row
from ochag.core.pdf import p, ruled
from ochag.support.models import Service


def header() -> list[str]:
    return [
        _("Municipality"),
        _("Kind of help"),
        _("Service"),
        _("Provider"),
        _("Phone"),
        _("Address"),
        _("Opening hours"),
        _("Format"),
        _("Places"),
        _("Free places"),
        _("Waiting list"),
        _("Cost per family-month, roubles"),
    ]


def rows(services: list[Service]) -> Iterator[Row]:
    for s in services:
        cost = float(s.cost_per_family_month) if s.cost_per_family_month is not None else None
        yield [
            s.municipality_name,  # type: ignore[attr-defined]
            s.type.name,
            s.name,
            s.provider.name,
            s.provider.phone,
            s.provider.address,
            s.provider.hours,
            s.get_format_display(),
            s.capacity,
            s.free,  # type: ignore[attr-defined]
            s.waiting,  # type: ignore[attr-defined]
            cost,
        ]


def pdf(services: list[Service], *, region: str, printed_at: dt.datetime) -> bytes:
    story: list[Flowable] = [
        p(_("Regional list of services: %(region)s") % {"region": region}, "title"),
        p(_("As of %(date)s") % {"date": printed_at.strftime("%d.%m.%Y")}, "small"),
    ]
    for municipality, in_municipality in groupby(services, key=lambda s: s.municipality_name):  # type: ignore[attr-defined]
        story += [Spacer(1, 4 * mm), p(str(municipality), "title")]
        for kind, of_type in groupby(in_municipality, key=lambda s: s.type.name):
            story.append(p(kind, "h2"))
            data = [
                [
                    p(f"{s.name}\n{s.provider.name}", "small"),
                    p(f"{s.provider.phone}\n{s.provider.address}", "small"),
                    p(s.get_format_display(), "small"),
                    p(
                        _("%(free)s free of %(capacity)s, waiting %(waiting)s")
                        % {"free": s.free, "capacity": s.capacity, "waiting": s.waiting},  # type: ignore[attr-defined]
                        "small",
                    ),
                ]
                for s in of_type
            ]
            # reportlab's default bottom padding is 3 points.
            story.append(ruled(Table(data, colWidths=[95 * mm, 80 * mm, 40 * mm, 45 * mm]), 3))
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Regional list of services"),
    )
    doc.build(story)
    return buffer.getvalue()
