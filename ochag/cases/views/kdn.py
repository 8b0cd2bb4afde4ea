"""Decisions of the commission on minors' affairs (КДН) and the resolution PDF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.requests import user_of
from ochag.cases import policies, resolution, services
from ochag.cases.forms import kdn as case_forms
from ochag.cases.models import (
    SittingCase,
)
from ochag.cases.views.common import edit_page, managed_record, stamp
from ochag.core import pdf
from ochag.core.exports import pdf_export
from ochag.core.services import access_log_record


def session_pdf(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    user = user_of(request)
    # Need-to-know: the resolution is absent for those who do not run the case.
    case, session = managed_record(
        user, pk, lambda case: case.sessions.select_related("recorded_by"), session_pk
    )
    access_log_record(actor=user, obj=case, purpose="KDN resolution PDF")
    item = SittingCase.objects.filter(decision=session).select_related("sitting").first()
    if item is not None:  # decided at a sitting: the resolution as the commission writes it
        return pdf_export(
            actor=user,
            what="kdn_resolution",
            filename=f"resolution-{session.pk}.pdf",
            content=resolution.render(item, stamp(user, case)),
            rows=1,
            obj=case,
        )
    children = ", ".join(
        f"{p.full_name}, {p.birth_display}" for p in services.children_of(case.household)
    )
    story: list[Any] = [
        pdf.facts_table(
            [
                (_("Session date"), session.date.strftime("%d.%m.%Y")),
                (_("Case"), case.number),
                (_("Family"), str(case.household)),
                (_("Children"), children or "—"),
                (_("Address"), case.household.address or "—"),
                (_("Resolution"), session.get_resolution_display()),
            ]
        ),
        pdf.p(_("Agenda"), "h2"),
        pdf.p(session.agenda),
        pdf.p(_("The commission resolved"), "h2"),
        pdf.p(session.resolution_text),
    ]
    title = _("Resolution of the commission on minors' affairs No. %(number)s") % {
        "number": session.resolution_number
    }
    return pdf_export(
        actor=user,
        what="kdn_resolution",
        filename=f"resolution-{session.pk}.pdf",
        content=pdf.render(title=title, stamp=stamp(user, case), story=story),
        rows=1,
        obj=case,
    )


def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_changeable(user, pk=pk)
    return edit_page(
        request,
        case,
        make_form=lambda data: case_forms.SessionForm(data, initial={"date": timezone.localdate()}),
        save=lambda data: services.kdn_session_record(
            actor=user,
            case=case,
            date=data["date"],
            resolution_number=data["resolution_number"],
            agenda=data["agenda"],
            resolution=data["resolution"],
            resolution_text=data["resolution_text"],
            closure_ground=data["closure_ground"],
        ),
        success=lambda session: _("KDN session recorded."),
        title=_("KDN session and resolution"),
        submit=_("Save the resolution"),
    )
