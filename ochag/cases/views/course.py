"""The course of a case: monitoring, notes, curator and agencies, closure and re-opening."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ochag.access.requests import user_of
from ochag.cases import policies, selectors, services
from ochag.cases.forms import course as case_forms
from ochag.cases.models import MonitoringReport
from ochag.cases.policies import CasePolicyAction
from ochag.cases.views.common import edit_page


def monitoring_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_changeable(user, pk=pk)

    def success(report: MonitoringReport) -> str:
        return _("Monitoring report saved; next review %(date)s.") % {
            "date": report.next_review.strftime("%d.%m.%Y")
        }

    months = services.monitoring_months()
    return edit_page(
        request,
        case,
        make_form=lambda data: case_forms.MonitoringForm(
            data, initial={"period_end": timezone.localdate()}
        ),
        save=lambda data: services.monitoring_report_add(
            actor=user,
            case=case,
            period_end=data["period_end"],
            summary=data["summary"],
            next_review=data["next_review"],
            reassessment_needed=data["reassessment_needed"],
        ),
        success=success,
        title=_("Monitoring report"),
        submit=_("Save"),
        intro=ngettext(
            "Reports follow the regional cadence: every month.",
            "Reports follow the regional cadence: every %(n)s months.",
            months,
        )
        % {"n": months},
    )


def note_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_visible(user, pk=pk)
    if not policies.cases.allows(user, CasePolicyAction.ADD_NOTE, case):
        raise PermissionDenied
    return edit_page(
        request,
        case,
        make_form=case_forms.NoteForm,
        save=lambda data: services.note_add(
            actor=user, case=case, text=data["text"], is_medical=data["is_medical"]
        ),
        success=lambda note: _("Note added."),
        title=_("New note"),
        submit=_("Add the note"),
    )


def curator_change(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_changeable(user, pk=pk)
    return edit_page(
        request,
        case,
        make_form=lambda data: case_forms.CuratorForm(
            data, curators=selectors.curators_for(user), initial={"curator": case.curator_id}
        ),
        save=lambda data: services.case_curator_change(
            actor=user, case=case, curator=data["curator"]
        ),
        success=lambda saved: _("Curator changed."),
        title=_("Change the curator"),
        submit=_("Save"),
    )


def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_changeable(user, pk=pk)
    return edit_page(
        request,
        case,
        make_form=lambda data: case_forms.ParticipantForm(
            data, agencies=selectors.agencies_to_involve(user)
        ),
        save=lambda data: services.case_participant_add(
            actor=user, case=case, agency=data["agency"]
        ),
        success=lambda participant: _("Agency added to the case."),
        title=_("Add an agency to the case"),
        submit=_("Add"),
    )


def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_changeable(user, pk=pk)
    return edit_page(
        request,
        case,
        make_form=case_forms.CloseForm,
        save=lambda data: services.case_close(
            actor=user, case=case, ground=data["ground"], note=data["note"]
        ),
        success=lambda closed: _("Case closed; every agency taking part is informed."),
        title=_("Close the case"),
        submit=_("Close the case"),
        warning=True,
    )


def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_visible(user, pk=pk)
    if not policies.cases.allows(user, CasePolicyAction.REOPEN, case):
        raise PermissionDenied
    return edit_page(
        request,
        case,
        make_form=case_forms.ReopenForm,
        save=lambda data: services.case_reopen(actor=user, case=case, reason=data["reason"]),
        success=lambda reopened: _("Case re-opened; its history is kept."),
        title=_("Re-open the case"),
        submit=_("Re-open"),
    )
