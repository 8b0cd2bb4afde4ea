"""The КДН sitting: the list, a new sitting, attendance and quorum, the agenda of cases,
the decision on each case and its resolution PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.requests import user_of
from ochag.cases import policies, resolution, selectors, services
from ochag.cases.forms import sittings as case_forms
from ochag.cases.models import KdnSitting, SittingCase
from ochag.cases.views.common import staff_only
from ochag.core import form_views, pdf
from ochag.core.exports import pdf_export
from ochag.core.policies import Action
from ochag.core.services import access_log_record, access_log_record_many
from ochag.core.tables import Column, Table


def sitting_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    staff_only(user)
    policies.sittings.require(user, Action.VIEW)
    table = Table(
        request=request,
        queryset=selectors.sittings_for(user),
        columns=[
            Column(_("Protocol"), "number"),
            Column(_("Date"), "date"),
            Column(_("Commission"), "commission__full_name", key="commission"),
            Column(_("Place"), "place"),
            Column(_("Cases on the agenda"), "cases"),
        ],
        default_sort="-date",
        search_fields=("number", "place"),
        caption=_("KDN sittings"),
    )
    return render(
        request,
        "cases/sitting_list.html",
        {
            "table": table,
            "can_create": policies.sittings.allows(user, Action.CREATE),
            # The user's own КДН: its setup screen (or setting it up, for its secretary).
            "has_commission": _commission_link(user),
        },
    )


def _page(
    request: HttpRequest,
    *,
    make_form: Callable[[QueryDict | None], django_forms.Form],
    save: Callable[[dict[str, Any]], KdnSitting | SittingCase],
    done: Callable[[Any], str],
    title: str,
    submit: str,
    cancel_url: str,
    sitting: KdnSitting | None = None,
) -> HttpResponse:
    """The get → form → save flow of the sitting's forms (they are not pages of one case)."""
    form = make_form(request.POST or None)
    saved = form_views.submit(
        request,
        form,
        save,
        success=done,
        then=lambda result: reverse(
            "cases:sitting",
            args=[(result.sitting if isinstance(result, SittingCase) else result).pk],
        ),
    )
    return saved or render(
        request,
        "cases/sitting_form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "cancel_url": cancel_url,
            "sitting": sitting,
        },
    )


def sitting_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    policies.sittings.require(user, Action.CREATE)
    commissions = selectors.commissions_for(user)
    first = commissions.first()
    initial = {
        "date": timezone.localdate(),
        "commission": first,
        "place": first.address if first else "",
    }
    return _page(
        request,
        make_form=lambda data: case_forms.SittingForm(
            data, commissions=commissions, initial=initial
        ),
        save=lambda data: services.sitting_schedule(
            actor=user,
            commission=data["commission"],
            number=data["number"],
            date=data["date"],
            time=data["time"],
            place=data["place"],
            other_matters=data["other_matters"],
        ),
        done=lambda sitting: _("Sitting No. %(number)s is scheduled.") % {"number": sitting.number},
        title=_("New KDN sitting"),
        submit=_("Schedule the sitting"),
        cancel_url=reverse("cases:sittings"),
    )


def sitting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    sitting = policies.sittings.get_visible(user, pk=pk)
    present, members, quorate = sitting.quorum()
    agenda = selectors.sitting_agenda(sitting)
    visible_cases = set(
        policies.cases.visible(user)
        .filter(pk__in=[item.case_id for item in agenda])
        .values_list("pk", flat=True)
    )
    access_log_record_many(
        actor=user, objs=[item.case for item in agenda], purpose="KDN sitting agenda"
    )
    return render(
        request,
        "cases/sitting_detail.html",
        {
            "sitting": sitting,
            "agenda": agenda,
            "visible_cases": visible_cases,
            "present": sitting.present.all(),
            "present_count": present,
            "member_count": members,
            "quorate": quorate,
            "other_matters": [m for m in sitting.other_matters.splitlines() if m.strip()],
            "can_change": policies.sittings.allows(user, Action.CHANGE, sitting),
        },
    )


def sitting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    sitting = policies.sittings.get_changeable(user, pk=pk)
    members = sitting.commission.members.filter(is_active=True)
    initial = {
        "present": list(sitting.present.all()),
        "chair": sitting.chair,
        "secretary": sitting.secretary,
        "other_matters": sitting.other_matters,
    }
    return _page(
        request,
        make_form=lambda data: case_forms.AttendanceForm(data, members=members, initial=initial),
        save=lambda data: services.sitting_attendance_record(
            actor=user,
            sitting=sitting,
            present=list(data["present"]),
            chair=data["chair"],
            secretary=data["secretary"],
            other_matters=data["other_matters"],
        ),
        done=lambda saved: _("Attendance recorded."),
        title=_("Members present and quorum"),
        submit=_("Save"),
        cancel_url=reverse("cases:sitting", args=[sitting.pk]),
        sitting=sitting,
    )


def sitting_case_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    sitting = policies.sittings.get_changeable(user, pk=pk)
    return _page(
        request,
        make_form=lambda data: case_forms.AgendaCaseForm(
            data, cases=selectors.cases_for_agenda(user, sitting)
        ),
        save=lambda data: services.sitting_case_add(
            actor=user,
            sitting=sitting,
            case=data["case"],
            invite=selectors.parents_to_invite(data["case"]),
        ),
        done=lambda item: (
            _("Case %(number)s is item %(item)s of the agenda.")
            % {"number": item.case.number, "item": item.order}
        ),
        title=_("Put a case on the agenda"),
        submit=_("Add to the agenda"),
        cancel_url=reverse("cases:sitting", args=[sitting.pk]),
        sitting=sitting,
    )


def _item(user: Any, sitting: KdnSitting, item_pk: int) -> SittingCase:
    """An agenda item whose case the user may see (404 otherwise)."""
    try:
        return sitting.items.select_related("case", "case__household", "decision").get(
            pk=item_pk, case__in=policies.cases.visible(user)
        )
    except SittingCase.DoesNotExist as exc:
        raise Http404 from exc


def sitting_decision(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = user_of(request)
    sitting = policies.sittings.get_changeable(user, pk=pk)
    item = _item(user, sitting, item_pk)
    if item.decision_id is not None:
        messages.info(request, _("The commission has already decided on this case."))
        return redirect("cases:sitting", sitting.pk)
    invitees = list(item.invitees.all())
    initial = {"established": resolution.established_draft(item.case)}
    return _page(
        request,
        make_form=lambda data: case_forms.DecisionForm(
            data,
            invitees=invitees,
            agencies=selectors.agencies_to_involve(user),
            initial=initial,
        ),
        save=lambda data: _decide(user, item, data),
        done=lambda saved: (
            _("Decision recorded; resolution No. %(number)s.")
            % {"number": f"{sitting.number}/{item.order}"}
        ),
        title=_("Decision on case %(number)s (item %(item)s)")
        % {"number": item.case.number, "item": item.order},
        submit=_("Record the decision"),
        cancel_url=reverse("cases:sitting", args=[sitting.pk]),
        sitting=sitting,
    )


def _decide(user: Any, item: SittingCase, data: dict[str, Any]) -> SittingCase:
    services.sitting_decision_record(
        actor=user,
        item=item,
        resolution=data["resolution"],
        established=data["established"],
        points=case_forms.points_of(data),
        attendance=case_forms.attendance_of(data, list(item.invitees.all())),
        closure_ground=data["closure_ground"],
    )
    return item


def sitting_resolution_pdf(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = user_of(request)
    sitting = policies.sittings.get_visible(user, pk=pk)
    item = _item(user, sitting, item_pk)
    if item.decision is None:
        raise Http404
    access_log_record(actor=user, obj=item.case, purpose="KDN resolution PDF")
    stamp = pdf.stamp_for(user, item.case.number)
    return pdf_export(
        actor=user,
        what="kdn_resolution",
        filename=f"resolution-{sitting.number}-{item.order}.pdf",
        content=resolution.render(item, stamp),
        rows=1,
        obj=item.case,
    )


def _commission_link(user: Any) -> bool:
    if policies.commissions.allows(user, Action.CREATE):
        return True
    return policies.commissions.visible(user).filter(agency_id=user.agency_id).exists()
