"""The resolution of a КДН sitting on one case, in the form commissions write it.

The commission's full name and municipality, the number, date and place, who presided and
who was present, who was invited and came, «УСТАНОВИЛА», the legal basis (120-ФЗ art. 11
and the regional law), «ПОСТАНОВИЛА» as numbered points with responsible agencies and
terms, the right and term of appeal, and the signature lines of the chair and the
secretary. An official document is in Russian whatever the interface language.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from ochag.cases.kdn_models import FEDERAL_BASIS
from ochag.cases.models import Case, KdnSession, SittingCase
from ochag.cases.services import children_of
from ochag.core import pdf


def _member(member: Any) -> str:
    return f"{member.full_name}, {member.position}" if member.position else member.full_name


def established_draft(case: Case) -> str:
    """The facts the resolution starts from, drawn from the case for the secretary to edit."""
    today = timezone.localdate()
    with translation.override("ru"):
        children = "; ".join(
            f"{p.full_name}, {p.birth_display}" for p in children_of(case.household)
        )
        lines = [
            _("Case %(number)s opened on %(date)s; curator %(curator)s (%(agency)s).")
            % {
                "number": case.number,
                "date": timezone.localtime(case.opened_at).strftime("%d.%m.%Y"),
                "curator": case.curator.display_name,
                "agency": case.curator.agency,
            },
            _("Family %(family)s, address: %(address)s.")
            % {"family": case.household, "address": case.household.address or "—"},
            _("Children: %(children)s.") % {"children": children or "—"},
            _("Level of distress on %(date)s: %(level)s.")
            % {"date": today.strftime("%d.%m.%Y"), "level": case.get_level_display()},
        ]
    return "\n".join(lines)


def _attended(value: bool | None) -> str:
    if value is None:
        return _("attendance not recorded")
    return _("came") if value else _("did not come")


def _signatures(rows: list[tuple[str, str]]) -> Table:
    table = Table(
        [[pdf.p(role), pdf.p("____________________"), pdf.p(f"/ {name} /")] for role, name in rows],
        colWidths=[55 * mm, 55 * mm, 60 * mm],
    )
    table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 10)]))
    return table


def story(item: SittingCase) -> tuple[list[Any], str, list[Any]]:
    """(heading, title, flowables) of the resolution on ``item``, whose decision is
    recorded: the commission's name heads the page above the title."""
    session: KdnSession | None = item.decision
    assert session is not None
    sitting = item.sitting
    commission = sitting.commission
    case = item.case
    with translation.override("ru"):
        title = _("RESOLUTION No. %(number)s") % {"number": session.resolution_number}
        when = sitting.date.strftime("%d.%m.%Y")
        if sitting.time:
            when = f"{when}, {sitting.time:%H:%M}"
        present = ", ".join(_member(m) for m in sitting.present.all())
        invited = "; ".join(f"{i.full_name} — {_attended(i.attended)}" for i in item.invitees.all())
        heading = [
            pdf.p(commission.full_name.upper(), "title"),
            pdf.p(commission.municipality_name, "title"),
            Spacer(1, 4),
        ]
        flow: list[Any] = [
            pdf.facts_table(
                [
                    (_("Date and time"), when),
                    (_("Place"), sitting.place),
                    (_("Presiding"), _member(sitting.chair) if sitting.chair else "—"),
                    (
                        _("Secretary of the sitting"),
                        _member(sitting.secretary) if sitting.secretary else "—",
                    ),
                    (_("Members present"), present or "—"),
                    (_("Invited"), invited or "—"),
                    (_("Case"), f"{case.number}, {_('family')} {case.household}"),
                ]
            ),
            pdf.p(
                _(
                    "The commission, having considered at its sitting No. %(sitting)s the "
                    "materials on the family %(family)s (%(address)s),"
                )
                % {
                    "sitting": sitting.number,
                    "family": case.household,
                    "address": case.household.address or "—",
                }
            ),
            pdf.p(_("ESTABLISHED:"), "h2"),
            pdf.p(session.established or session.agenda),
            pdf.p(
                _("Guided by %(federal)s and %(regional)s, the commission")
                % {"federal": FEDERAL_BASIS, "regional": commission.regional_law}
            ),
            pdf.p(_("RESOLVED:"), "h2"),
        ]
        for point in session.points.select_related("agency"):
            line = f"{point.number}. {point.text}"
            if point.agency is not None:
                line += " " + _("Responsible: %(agency)s.") % {"agency": point.agency}
            if point.term is not None:
                line += " " + _("Term: by %(date)s.") % {"date": point.term.strftime("%d.%m.%Y")}
            flow.append(pdf.p(line))
        flow += [
            Spacer(1, 6),
            pdf.p(commission.appeal_text),
            Spacer(1, 10),
            _signatures(
                [
                    (_("Presiding"), sitting.chair.full_name if sitting.chair else ""),
                    (
                        _("Secretary of the sitting"),
                        sitting.secretary.full_name if sitting.secretary else "",
                    ),
                ]
            ),
        ]
    return heading, title, flow


def render(item: SittingCase, stamp: pdf.Stamp) -> bytes:
    heading, title, flow = story(item)
    return pdf.render(title=title, stamp=stamp, story=flow, heading=heading)
