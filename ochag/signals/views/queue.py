"""Queues and one signal: the body's queue, what we sent, the detail page and its actions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.models import Agency, User
from ochag.access.requests import user_of
from ochag.core.form_views import post_action, submit
from ochag.core.models import Territory
from ochag.core.policies import Action
from ochag.core.services import access_log_record, audit_record
from ochag.core.tables import Column, Filter, Table
from ochag.signals import extensions, selectors, services
from ochag.signals.forms import AssignForm, ForwardForm, ReasonForm
from ochag.signals.models import Attachment, Colour, Signal, SignalAction, Status
from ochag.signals.policies import SignalPolicyAction, is_coordinator, signals


def _colour_filter() -> Filter:
    return Filter(
        "colour",
        _("Colour"),
        [(c.value, str(c.label)) for c in Colour],
        lambda qs, v: qs.filter(colour=v),
    )


def _status_filter() -> Filter:
    return Filter(
        "status",
        _("Status"),
        [(s.value, str(s.label)) for s in Status],
        lambda qs, v: qs.filter(status=v),
    )


def _overdue_filter() -> Filter:
    return Filter(
        "overdue",
        _("Deadline"),
        [("yes", str(_("Overdue")))],
        lambda qs, v: selectors.overdue(qs),
    )


def _routing_filter() -> Filter:
    return Filter(
        "routing",
        _("Routing"),
        [("none", str(_("Not routed")))],
        lambda qs, v: selectors.unrouted(qs),
    )


def _queue_filters(user: User, base: QuerySet[Signal]) -> list[Filter]:
    """The queue's filters; the home page's lines link here with these (ochag.signals.worklist
    counts with the same selector functions)."""
    filters = [
        _colour_filter(),
        _status_filter(),
        _overdue_filter(),
        Filter(
            "waiting",
            _("Waiting"),
            [("safety", str(_("Safety check not taken")))],
            lambda qs, v: selectors.awaiting_safety_check(qs),
        ),
        Filter(
            "for",
            _("Assigned"),
            [("me", str(_("To me, not yet accepted")))],
            lambda qs, v: selectors.assigned_to(qs, user),
        ),
    ]
    if is_coordinator(user):
        territories = Territory.objects.filter(pk__in=base.values("territory")).order_by("name")
        agencies = Agency.objects.filter(pk__in=base.values("routed_to")).order_by("name")
        filters += [
            _routing_filter(),
            Filter(
                "territory",
                _("Municipality"),
                [(str(t.pk), t.name) for t in territories],
                lambda qs, v: qs.filter(territory_id=v),
            ),
            Filter(
                "agency",
                _("Routed to"),
                [(str(a.pk), str(a)) for a in agencies],
                lambda qs, v: qs.filter(routed_to_id=v),
            ),
        ]
    return filters


def _columns(about: bool = False) -> list[Column]:
    return [
        Column(_("Number"), "number"),
        *([Column(_("About"))] if about else []),
        Column(_("Colour"), "urgency", key="urgency"),
        Column(_("Municipality"), "territory__name", key="territory"),
        Column(_("Received"), "received_at", key="received"),
        Column(_("Due"), "due_date", key="due"),
        Column(_("Status"), "status"),
        Column(_("Assignee"), None),
    ]


def queue(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    signals.require(user, Action.VIEW)
    base = selectors.queue(user)
    table = Table(
        request=request,
        queryset=selectors.with_subjects(base),
        columns=_columns(about=True),
        default_sort="-urgency",
        search_fields=["number", "address", "household__name"],
        search_also=selectors.number_typed,
        filters=_queue_filters(user, base),
        caption=_("Signal queue"),
    )
    return render(
        request,
        "signals/queue.html",
        {
            "table": table,
            "urgent": selectors.with_subjects(selectors.urgent(user))[:20],
            "today": timezone.localdate(),
            "title": _("Signal queue"),
            "about": True,
        },
    )


def sent(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    signals.require(user, Action.VIEW)
    table = Table(
        request=request,
        queryset=selectors.sent(user),
        columns=_columns(),
        default_sort="-received",
        filters=[_colour_filter(), _status_filter()],
        caption=_("Signals we sent"),
    )
    return render(
        request,
        "signals/queue.html",
        {
            "table": table,
            "urgent": [],
            "today": timezone.localdate(),
            "title": _("Signals we sent"),
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    signal = signals.get_visible(user, pk=pk)
    full = signals.allows(user, SignalPolicyAction.VIEW_FULL, signal)
    access_log_record(actor=user, obj=signal, purpose="signal detail")
    context: dict[str, Any] = {
        "signal": signal,
        "full": full,
        "can_change": signals.allows(user, Action.CHANGE, signal),
        "can_assign": signals.allows(user, SignalPolicyAction.ASSIGN, signal),
        "today": timezone.localdate(),
        "indicators": signal.indicator_rows.select_related("indicator"),
        "subjects": signal.subjects.select_related("person") if full else [],
        "events": signal.events.select_related("actor", "agency") if full else [],
        "attachments": signal.attachments.all(),
        "tasks": signal.tasks.select_related("agency"),
        # What higher apps add (support: referrals of the family), for those who see it all.
        "panels": extensions.panels(user, signal) if full else [],
    }
    if context["can_change"]:
        context["assign_form"] = AssignForm(agency=signal.routed_to)
        context["return_form"] = ReasonForm(prefix="return")
        context["forward_form"] = ForwardForm(
            prefix="forward", agencies=selectors.forward_targets(signal)
        )
    return render(request, "signals/detail.html", context)


@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    signal = signals.get_allowed(user, SignalPolicyAction.ASSIGN, pk=pk)
    form = AssignForm(request.POST, agency=signal.routed_to)
    done = submit(
        request,
        form,
        lambda data: services.signal_assign(actor=user, signal=signal, assignee=data["assignee"]),
        success=_("The signal is assigned."),
        then=lambda _saved: reverse("signals:detail", args=[signal.pk]),
    )
    return done or _detail_with(request, signal, assign_form=form)


@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    signal = signals.get_changeable(user, pk=pk)
    if signal.routed_to_id is None:
        raise PermissionDenied  # route it first: nobody can take on a signal for no body
    return post_action(
        request,
        lambda: services.signal_accept(actor=user, signal=signal),
        success=_("You have taken the signal on."),
        then=reverse("signals:detail", kwargs={"pk": signal.pk}),
    )


@require_POST
def return_to_sender(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    signal = signals.get_changeable(user, pk=pk)
    form = ReasonForm(request.POST, prefix="return")
    done = submit(
        request,
        form,
        lambda data: services.signal_return(actor=user, signal=signal, reason=data["reason"]),
        success=_("The signal is returned to the sender."),
        then=lambda _saved: reverse("signals:queue"),
    )
    return done or _detail_with(request, signal, return_form=form)


@require_POST
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    signal = signals.get_changeable(user, pk=pk)
    form = ForwardForm(request.POST, prefix="forward", agencies=selectors.forward_targets(signal))
    done = submit(
        request,
        form,
        lambda data: services.signal_forward(
            actor=user, signal=signal, agency=data["agency"], reason=data["reason"]
        ),
        success=_("The signal is forwarded."),
        then=lambda _saved: reverse("signals:queue"),
    )
    return done or _detail_with(request, signal, forward_form=form)


def _detail_with(request: HttpRequest, signal: Any, **forms: Any) -> HttpResponse:
    user = user_of(request)
    context: dict[str, Any] = {
        "signal": signal,
        "full": True,
        "can_change": True,
        "can_assign": signals.allows(user, SignalPolicyAction.ASSIGN, signal),
        "today": timezone.localdate(),
        "indicators": signal.indicator_rows.select_related("indicator"),
        "subjects": signal.subjects.select_related("person"),
        "events": signal.events.all(),
        "attachments": signal.attachments.all(),
        "tasks": signal.tasks.all(),
        "panels": extensions.panels(user, signal),
        "assign_form": AssignForm(agency=signal.routed_to),
        "return_form": ReasonForm(prefix="return"),
        "forward_form": ForwardForm(prefix="forward", agencies=selectors.forward_targets(signal)),
    }
    context.update(forms)
    return render(request, "signals/detail.html", context)


def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse | FileResponse:
    user = user_of(request)
    signal = signals.get_visible(user, pk=pk)
    try:
        item = signal.attachments.get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    audit_record(
        actor=user,
        action=SignalAction.ATTACHMENT_VIEWED,
        obj=signal,
        detail={"attachment": item.pk},
    )
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.content_type
    )
