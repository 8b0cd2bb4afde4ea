"""Referrals: sending one from a case with consent, the provider's queue and answers,
withdrawal, delivery records, and the family's page links a curator issues."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.models import User
from ochag.access.requests import user_of
from ochag.cases import selectors as case_selectors
from ochag.cases.models import Case, Task
from ochag.cases.policies import cases as case_policy
from ochag.core.form_views import post_action, submit
from ochag.core.forms import add_errors
from ochag.core.policies import Action
from ochag.core.services import access_log_record
from ochag.core.tables import Column, Filter, Table
from ochag.signals.models import Signal
from ochag.signals.policies import signals as signal_policy
from ochag.support import policies, selectors
from ochag.support.forms import (
    AnswerForm,
    DeliveryForm,
    FamilyLinkForm,
    ReferralForm,
    WithdrawForm,
)
from ochag.support.models import Referral, ReferralStatus, Service
from ochag.support.policies import SupportPolicyAction
from ochag.support.services import family, referrals
from ochag.support.services.referrals import TRANSITIONS, ConsentData


def _staff_only(user: User) -> None:
    if not user.sees_personal_data or user.agency_id is None:
        raise PermissionDenied


def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals the user sees, filtered as the worklist's lines link to them."""
    user = user_of(request)
    _staff_only(user)
    now = timezone.now()
    table = Table(
        request=request,
        queryset=policies.referrals.visible(user),
        columns=[
            Column(_("No."), "pk", key="number"),
            Column(_("Service"), "service__name", key="service"),
            Column(_("Provider"), "service__provider__name", key="provider"),
            Column(_("State"), "status"),
            Column(_("Answer due"), "due_on", key="due"),
        ],
        default_sort="-number",
        search_fields=("service__name", "service__provider__name"),
        filters=[
            Filter(
                "for",
                _("Whose"),
                [("us", _("Sent to my agency")), ("mine", _("On cases I curate"))],
                lambda qs, v: (
                    selectors.sent_to_agency(qs, user)
                    if v == "us"
                    else selectors.on_cases_curated_by(qs, user)
                ),
            ),
            Filter(
                "open",
                _("Answer"),
                [
                    ("unanswered", _("Awaiting an answer")),
                    ("overdue", _("Answer overdue")),
                    ("recent", _("Answered in the last 7 days")),
                ],
                lambda qs, v: {
                    "unanswered": selectors.unanswered,
                    "overdue": lambda q: selectors.answer_overdue(q, now.date()),
                    "recent": lambda q: selectors.answered_recently(q, now),
                }[v](qs),
            ),
            Filter("status", _("State"), ReferralStatus.choices, lambda qs, v: qs.filter(status=v)),
            # The coverage table's «waiting» links: the family's municipality and the kind.
            Filter(
                "municipality",
                _("Municipality"),
                [(str(m.pk), m.name) for m in selectors.region_municipalities(user)],
                lambda qs, v: qs.filter(territory_id=v),
            ),
            Filter(
                "type",
                _("Kind of help"),
                [(str(t.pk), t.name) for t in policies.service_types.visible(user)],
                lambda qs, v: qs.filter(service__type_id=v),
            ),
        ],
        caption=_("Referrals"),
    )
    return render(request, "support/referral_list.html", {"table": table})


def referral_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = user_of(request)
    case = case_policy.get_visible(user, pk=case_pk)
    if not policies.may_refer(user, case):
        raise PermissionDenied
    services = selectors.services_for_case(user, case).select_related("provider", "type")
    tasks = case_selectors.case_tasks(user, case)
    form = ReferralForm(
        request.POST or None,
        services=services,
        tasks=tasks,
        initial=_from_task(tasks, services, request.GET.get("task", "")),
    )
    context = {
        "case": case,
        "intro": _(
            "Case %(number)s. Services serving %(municipality)s are listed with their free "
            "places and waiting list."
        )
        % {"number": case.number, "municipality": case.territory},
        "back_url": reverse("support:case", args=[case.pk]),
        "back_label": _("Support in case %(number)s") % {"number": case.number},
    }
    return _send(request, form, services, context, case=case)


def _from_task(tasks: QuerySet[Task], services: QuerySet[Service], task_id: str) -> dict[str, Any]:
    """A referral opened from a plan task: the task, and a service of the kind it needs (one
    with a free place first, as the list is ordered)."""
    task = tasks.filter(pk=task_id).first() if task_id.isdigit() else None
    if task is None:
        return {}
    need = selectors.task_need(task)
    service = (
        services.filter(type_id=need.need_id).first()
        if need is not None and need.need_id is not None
        else None
    )
    return {"task": task.pk, "service": service.pk if service else None}


def referral_new_from_signal(request: HttpRequest, signal_pk: int) -> HttpResponse:
    """A signal offered support: its handler refers the family before any case is opened."""
    user = user_of(request)
    signal = signal_policy.get_visible(user, pk=signal_pk)
    if not policies.may_refer_from_signal(user, signal):
        raise PermissionDenied
    services = selectors.services_for_signal(user, signal).select_related("provider", "type")
    form = ReferralForm(request.POST or None, services=services, tasks=None)
    context = {
        "intro": _(
            "Signal %(number)s. Services serving %(municipality)s are listed with their free "
            "places and waiting list."
        )
        % {"number": signal.number, "municipality": signal.territory},
        "back_url": reverse("signals:detail", args=[signal.pk]),
        "back_label": _("Signal %(number)s") % {"number": signal.number},
    }
    return _send(request, form, services, context, signal=signal)


def _send(
    request: HttpRequest,
    form: ReferralForm,
    services: QuerySet[Service],
    context: dict[str, Any],
    *,
    case: Case | None = None,
    signal: Signal | None = None,
) -> HttpResponse:
    user = user_of(request)

    def send(data: dict[str, Any]) -> Referral:
        return referrals.referral_send_with_consent(
            actor=user,
            case=case,
            signal=signal,
            service=data["service"],
            consent=ConsentData(
                basis=data["basis"],
                given_by=data["given_by"],
                given_on=data["given_on"],
                scope=data["scope"],
                shares_health=data["shares_health"],
            ),
            summary=data["summary"],
            health_note=data["health_note"],
            task=data.get("task"),
            waiting_list_ok=data["waiting_list_ok"],
        )

    done = submit(
        request,
        form,
        send,
        success=_("The referral is sent."),
        then=lambda referral: reverse("support:referral", args=[referral.pk]),
    )
    return done or render(
        request,
        "support/referral_form.html",
        {**context, "form": form, "has_services": services.exists()},
    )


def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    referral = policies.referrals.get_visible(user, pk=pk)
    access_log_record(actor=user, obj=referral, purpose="referral")
    allowed = TRANSITIONS.get(referral.status, ())
    can_answer = policies.referrals.allows(user, SupportPolicyAction.ANSWER, referral)
    can_withdraw = policies.referrals.allows(user, SupportPolicyAction.WITHDRAW, referral)
    return render(
        request,
        "support/referral_detail.html",
        {
            "referral": referral,
            "sees_source": policies.referrals.sees_source(user, referral),
            "sees_health": policies.referrals.allows(
                user, SupportPolicyAction.SEE_HEALTH, referral
            ),
            "events": referral.events.select_related("actor", "actor__agency"),
            "deliveries": referral.deliveries.select_related("indicator"),
            "waiting_days": selectors.waiting_days(referral),
            "answer_form": AnswerForm(allowed=allowed, initial={"version": referral.version})
            if can_answer
            else None,
            "delivery_form": DeliveryForm(service=referral.service)
            if can_answer and referral.status != ReferralStatus.SENT
            else None,
            "withdraw_form": WithdrawForm(initial={"version": referral.version})
            if can_withdraw
            else None,
        },
    )


@require_POST
def referral_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    referral = policies.referrals.get_visible(user, pk=pk)
    if referral.service.provider.agency_id != user.agency_id:
        raise PermissionDenied
    form = AnswerForm(
        request.POST, allowed=tuple(s for targets in TRANSITIONS.values() for s in targets)
    )
    done = submit(
        request,
        form,
        lambda data: referrals.referral_answer(
            actor=user,
            referral=referral,
            expected_version=data["version"] or 0,
            status=data["status"],
            start_date=data["start_date"],
            reason=data["reason"],
            outcome=data["outcome"],
        ),
        success=_("The answer is saved."),
        then=_referral_url,
    )
    return done or _answer_again(request, form, referral)


@require_POST
def referral_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    referral = policies.referrals.get_allowed(user, SupportPolicyAction.WITHDRAW, pk=pk)
    form = WithdrawForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: referrals.referral_withdraw(
            actor=user,
            referral=referral,
            expected_version=data["version"] or 0,
            reason=data["reason"],
        ),
        success=_("The referral is withdrawn."),
        then=_referral_url,
    )
    return done or _answer_again(request, form, referral)


@require_POST
def delivery_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    referral = policies.referrals.get_visible(user, pk=pk)
    if referral.service.provider.agency_id != user.agency_id:
        raise PermissionDenied
    form = DeliveryForm(request.POST, service=referral.service)
    done = submit(
        request,
        form,
        lambda data: referrals.delivery_record(actor=user, referral=referral, **data),
        success=_("The delivery is recorded."),
        then=lambda _delivery: reverse("support:referral", args=[referral.pk]),
    )
    return done or _answer_again(request, form, referral)


def _referral_url(referral: Referral) -> str:
    return reverse("support:referral", args=[referral.pk])


def _answer_again(request: HttpRequest, form: forms.BaseForm, referral: Referral) -> HttpResponse:
    """A form posted from the referral's page that did not go through, on its own page."""
    return render(
        request, "support/answer_form.html", {"form": form, "referral": referral}, status=400
    )


def case_support(request: HttpRequest, case_pk: int) -> HttpResponse:
    """A case's referrals and family-page links (linked from the case page)."""
    user = user_of(request)
    case = case_policy.get_visible(user, pk=case_pk)
    _staff_only(user)
    may_change = policies.may_refer(user, case)
    return render(
        request,
        "support/case_support.html",
        {
            "case": case,
            "referrals": selectors.case_referrals(user, case),
            "links": selectors.family_links(user, case) if may_change else [],
            "can_refer": may_change,
            "link_form": FamilyLinkForm() if may_change else None,
        },
    )


def family_link_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = user_of(request)
    case = case_policy.get_visible(user, pk=case_pk)
    if not policies.family_links.allows(user, Action.CREATE) or not policies.may_refer(user, case):
        raise PermissionDenied
    form = FamilyLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link, code = family.family_link_issue(
                actor=user,
                case=case,
                days=form.cleaned_data["days"],
                phone=form.cleaned_data["phone"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return render(
                request, "support/family_slip.html", {"case": case, "link": link, "code": code}
            )
    return render(request, "support/family_link_form.html", {"form": form, "case": case})


@require_POST
def family_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    link = policies.family_links.get_changeable(user, pk=pk)
    return post_action(
        request,
        lambda: family.family_link_revoke(actor=user, link=link),
        success=_("The family's code is revoked."),
        then=reverse("support:case", kwargs={"case_pk": link.case_id}),
    )
