"""Screens of the signals app: intake channels, queues, actions, rules, imports, notices."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.models import Agency, Role, User
from ochag.access.policies import agencies as agency_policy
from ochag.core.models import Territory
from ochag.core.policies import Action
from ochag.core.services import access_log_record, audit_record
from ochag.core.tables import Column, Filter, Table
from ochag.signals import bulk, intake, selectors, services
from ochag.signals.forms import (
    STEP_FORMS,
    STEP_TITLES,
    AssignForm,
    AttachmentsForm,
    ForwardForm,
    HelplineForm,
    PublicForm,
    ReasonForm,
    RoutingRuleForm,
    UploadForm,
)
from ochag.signals.inputs import SignalInput, SubjectInput
from ochag.signals.models import (
    Attachment,
    Basis,
    Channel,
    Colour,
    SignalAction,
    SignalDraft,
    Status,
    SubjectRole,
    receipt_number,
)
from ochag.signals.policies import SignalPolicyAction, imports, is_coordinator, rules, signals


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _region(user: User) -> Territory | None:
    scope = user.scope_territory
    return (scope.region or scope) if scope is not None else None


def _apply_errors(form: Any, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        target = name if name in form.fields else None
        for error in errors:
            form.add_error(target, error)


# Queues ---------------------------------------------------------------------------------


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
        lambda qs, v: qs.filter(selectors.overdue_q()),
    )


def _routing_filter() -> Filter:
    return Filter(
        "routing",
        _("Routing"),
        [("none", str(_("Not routed")))],
        lambda qs, v: qs.filter(routed_to__isnull=True),
    )


def _columns() -> list[Column]:
    return [
        Column(_("Number"), "number"),
        Column(_("Colour"), "urgency", key="urgency"),
        Column(_("Municipality"), "territory__name", key="territory"),
        Column(_("Received"), "received_at", key="received"),
        Column(_("Due"), "due_date", key="due"),
        Column(_("Status"), "status"),
        Column(_("Assignee"), None),
    ]


def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    signals.require(user, Action.VIEW)
    table = Table(
        request=request,
        queryset=selectors.queue(user),
        columns=_columns(),
        default_sort="-urgency",
        search_fields=["number", "address"],
        filters=[_colour_filter(), _status_filter(), _overdue_filter()]
        + ([_routing_filter()] if is_coordinator(user) else []),
        caption=_("Signal queue"),
    )
    return render(
        request,
        "signals/queue.html",
        {
            "table": table,
            "urgent": selectors.urgent(user)[:20],
            "today": timezone.localdate(),
            "title": _("Signal queue"),
        },
    )


def sent(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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
    user = _user(request)
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
    }
    if context["can_change"]:
        context["assign_form"] = AssignForm(agency=signal.routed_to)
        context["return_form"] = ReasonForm(prefix="return")
        context["forward_form"] = ForwardForm(
            prefix="forward", agencies=_forward_targets(user, signal)
        )
    return render(request, "signals/detail.html", context)


def _forward_targets(user: User, signal: Any) -> Any:
    region = signal.territory.region or signal.territory
    return (
        Agency.objects.filter(territory__path__startswith=region.path, is_active=True)
        .exclude(pk=signal.routed_to_id)
        .exclude(type__in=["ministry", "helpline"])
    )


@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    signal = signals.get_allowed(user, SignalPolicyAction.ASSIGN, pk=pk)
    form = AssignForm(request.POST, agency=signal.routed_to)
    if form.is_valid():
        services.signal_assign(actor=user, signal=signal, assignee=form.cleaned_data["assignee"])
        messages.success(request, _("The signal is assigned."))
        return redirect("signals:detail", pk=signal.pk)
    return _detail_with(request, signal, assign_form=form)


@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    signal = signals.get_changeable(user, pk=pk)
    if signal.routed_to_id is None:
        raise PermissionDenied  # route it first: nobody can take on a signal for no body
    services.signal_accept(actor=user, signal=signal)
    messages.success(request, _("You have taken the signal on."))
    return redirect("signals:detail", pk=signal.pk)


@require_POST
def return_to_sender(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    signal = signals.get_changeable(user, pk=pk)
    form = ReasonForm(request.POST, prefix="return")
    if form.is_valid():
        services.signal_return(actor=user, signal=signal, reason=form.cleaned_data["reason"])
        messages.success(request, _("The signal is returned to the sender."))
        return redirect("signals:queue")
    return _detail_with(request, signal, return_form=form)


@require_POST
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    signal = signals.get_changeable(user, pk=pk)
    form = ForwardForm(request.POST, prefix="forward", agencies=_forward_targets(user, signal))
    if form.is_valid():
        try:
            services.signal_forward(
                actor=user,
                signal=signal,
                agency=form.cleaned_data["agency"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The signal is forwarded."))
            return redirect("signals:queue")
    return _detail_with(request, signal, forward_form=form)


def _detail_with(request: HttpRequest, signal: Any, **forms: Any) -> HttpResponse:
    user = _user(request)
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
        "assign_form": AssignForm(agency=signal.routed_to),
        "return_form": ReasonForm(prefix="return"),
        "forward_form": ForwardForm(prefix="forward", agencies=_forward_targets(user, signal)),
    }
    context.update(forms)
    return render(request, "signals/detail.html", context)


def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse | FileResponse:
    user = _user(request)
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


# Staff form -----------------------------------------------------------------------------


def _step_data(draft: SignalDraft, step: int) -> MultiValueDict[str, Any] | None:
    raw = draft.data.get(f"step{step}")
    return MultiValueDict(raw) if raw is not None else None


def _step_form(step: int, data: Any, user: User) -> Any:
    cls = STEP_FORMS[step - 1]
    kwargs: dict[str, Any] = {"region": _region(user)} if step == 1 else {}
    return cls(data, **kwargs)


def _draft(user: User) -> SignalDraft:
    return SignalDraft.objects.filter(user=user).first() or SignalDraft(user=user, data={})


def _raw(request: HttpRequest, form: Any) -> dict[str, list[str]]:
    """What was typed into the form's fields, kept in the draft unvalidated. NUL characters
    are dropped: PostgreSQL's JSON cannot hold them (the form refuses them on submit)."""
    return {
        name: [value.replace("\x00", "") for value in request.POST.getlist(name)]
        for name in form.fields
    }


def staff_new(request: HttpRequest, step: int = 1) -> HttpResponse:
    user = _user(request)
    signals.require_create(user)
    if not 1 <= step <= len(STEP_FORMS):
        raise Http404
    draft = _draft(user)
    if request.method == "POST":
        form = _step_form(step, request.POST, user)
        data = dict(draft.data)
        data[f"step{step}"] = _raw(request, form)
        services.draft_save(user=user, data=data, step=step)
        if form.is_valid():
            if step < len(STEP_FORMS) and "back" not in request.POST:
                return redirect("signals:staff_step", step=step + 1)
            if "back" in request.POST and step > 1:
                return redirect("signals:staff_step", step=step - 1)
            return redirect("signals:staff_check")
    else:
        saved = _step_data(draft, step)
        if saved is not None and request.GET.get("edit"):
            # Back from the check page for a step that needs attention: show its errors.
            form = _step_form(step, saved, user)
        else:
            form = _step_form(step, None, user)
            if saved is not None:
                form.initial = {
                    k: (v if k == "indicators" else (v[0] if v else "")) for k, v in saved.lists()
                }
    return render(
        request,
        "signals/staff_step.html",
        {
            "form": form,
            "step": step,
            "steps": len(STEP_FORMS),
            "step_title": STEP_TITLES[step - 1],
            "has_draft": bool(draft.pk),
        },
    )


@require_POST
def staff_autosave(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    signals.require_create(user)
    try:
        step = int(request.POST.get("step", "0"))
    except ValueError:
        step = 0
    if not 1 <= step <= len(STEP_FORMS):
        return HttpResponse(status=400)
    draft = _draft(user)
    data = dict(draft.data)
    data[f"step{step}"] = _raw(request, _step_form(step, None, user))
    services.draft_save(user=user, data=data, step=step)
    return render(request, "signals/autosave_status.html", {"at": timezone.localtime()})


def _collect(user: User, draft: SignalDraft) -> tuple[list[Any], int | None]:
    """Validated forms for every step, and the first step that needs attention."""
    forms: list[Any] = []
    for step in range(1, len(STEP_FORMS) + 1):
        form = _step_form(step, _step_data(draft, step) or MultiValueDict(), user)
        if not form.is_valid():
            return forms, step
        forms.append(form)
    return forms, None


def staff_check(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    signals.require_create(user)
    draft = _draft(user)
    forms, incomplete = _collect(user, draft)
    if incomplete is not None:
        return redirect(f"{_step_url(incomplete)}?edit=1")
    posted = request.method == "POST"
    upload = AttachmentsForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and upload.is_valid():
        data = _signal_input(forms)
        try:
            signal = intake.signal_create(
                actor=user, data=data, attachments=request.FILES.getlist("attachments")
            )
        except ValidationError as exc:
            _apply_errors(upload, exc)
        else:
            services.draft_discard(user=user)
            messages.success(
                request,
                _("Signal %(number)s is sent to %(agency)s.")
                % {
                    "number": signal.number,
                    "agency": signal.routed_to or _("the regional coordinator"),
                },
            )
            return redirect("signals:detail", pk=signal.pk)
    rows = []
    for step, form in enumerate(forms, start=1):
        for field in form:
            value = form.cleaned_data.get(field.name)
            rows.append(
                {
                    "label": field.label,
                    "value": _display(value),
                    "step": step,
                    "field": field.id_for_label,
                }
            )
    return render(request, "signals/staff_check.html", {"rows": rows, "form": upload})


def _step_url(step: int) -> str:
    from django.urls import reverse

    return reverse("signals:staff_step", kwargs={"step": step})


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "strftime"):
        return str(value.strftime("%d.%m.%Y"))
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return "; ".join(str(v) for v in value)
    if isinstance(value, str) and value in Basis.values:
        return str(Basis(value).label)
    return str(value)


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


def _signal_input(forms: list[Any]) -> SignalInput:
    source, child, parents, indicators, description = (f.cleaned_data for f in forms)
    subjects = [
        SubjectInput(
            role=SubjectRole.CHILD,
            last_name=child["last_name"],
            first_name=child["first_name"],
            patronymic=child["patronymic"],
            birth_date=_iso(child["birth_date"]),
        )
    ]
    if parents.get("parent_last_name"):
        subjects.append(
            SubjectInput(
                role=SubjectRole.PARENT,
                last_name=parents["parent_last_name"],
                first_name=parents["parent_first_name"],
                patronymic=parents["parent_patronymic"],
                birth_date=_iso(parents["parent_birth_date"]),
            )
        )
    return SignalInput(
        channel=Channel.STAFF,
        basis=source["basis"],
        territory=source["territory"],
        original_text=description["original_text"],
        indicator_codes=[i.code for i in indicators["indicators"]],
        address=parents["address"],
        subjects=subjects,
        observed_on=source["observed_on"],
    )


@require_POST
def staff_discard(request: HttpRequest) -> HttpResponse:
    services.draft_discard(user=_user(request))
    messages.success(request, _("The draft is deleted."))
    return redirect("signals:staff_step", step=1)


# Helpline -------------------------------------------------------------------------------


def helpline(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role != Role.HELPLINE_OPERATOR:
        raise PermissionDenied
    form = HelplineForm(request.POST or None, region=_region(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = data["original_text"]
        if data.get("child_first_name") or data.get("child_age") is not None:
            text += "\n\n" + _("Child: %(name)s, about %(age)s years old.") % {
                "name": data.get("child_first_name") or "—",
                "age": data.get("child_age") or "—",
            }
        try:
            signal = intake.signal_create(
                actor=user,
                data=SignalInput(
                    channel=Channel.HELPLINE,
                    basis=Basis.HELPLINE,
                    territory=data["territory"],
                    address=data["location"],
                    original_text=text,
                    indicator_codes=[i.code for i in data["indicators"]],
                    escalate="escalate" in request.POST,
                ),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Call recorded as %(number)s and sent to %(agency)s.")
                % {
                    "number": signal.number,
                    "agency": signal.routed_to or _("the regional coordinator"),
                },
            )
            return redirect("signals:helpline")
    return render(request, "signals/helpline.html", {"form": form})


# Public form ----------------------------------------------------------------------------


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _public_region() -> Territory | None:
    return Territory.objects.filter(level=Territory.Level.REGION).order_by("pk").first()


@login_not_required
def public_form(request: HttpRequest) -> HttpResponse:
    form = PublicForm(request.POST or None, region=_public_region())
    if request.method == "POST":
        address = _client_address(request)
        if services.public_rate_limited(address=address):
            return render(request, "signals/public_429.html", status=429)
        if form.is_valid():
            data = form.cleaned_data
            services.public_rate_hit(address=address)
            if data["website"]:
                # A bot: pretend success, store nothing.
                return render(request, "signals/public_done.html", {"number": receipt_number()})
            text = data["original_text"]
            if data["child_name"]:
                text += "\n\n" + _("Child: %(name)s") % {"name": data["child_name"]}
            try:
                signal = intake.signal_create(
                    actor=None,
                    data=SignalInput(
                        channel=Channel.PUBLIC,
                        basis=Basis.CITIZEN,
                        territory=data["territory"],
                        address=data["address"],
                        original_text=text,
                        indicator_codes=[i.code for i in data["indicators"]],
                        reporter_name=data["reporter_name"],
                        reporter_contact=data["reporter_contact"],
                    ),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                # The receipt never says whether the family is already known.
                return render(request, "signals/public_done.html", {"number": signal.number})
    return render(request, "signals/public_form.html", {"form": form})


# Notifications --------------------------------------------------------------------------


def notifications(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    items = list(selectors.notifications(user)[:100])
    unread = selectors.unread_count(user)
    return render(request, "signals/notifications.html", {"items": items, "unread": unread})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=_user(request))
    return redirect("signals:notifications")


def bell(request: HttpRequest) -> HttpResponse:
    return render(request, "signals/bell.html", {"unread": selectors.unread_count(_user(request))})


# Routing rules --------------------------------------------------------------------------


def rule_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rules.require(user, Action.VIEW)
    table = Table(
        request=request,
        queryset=rules.visible(user),
        columns=[
            Column(_("Track"), "track"),
            Column(_("Municipality"), "territory__name", key="territory"),
            Column(_("Agency type"), "agency_type"),
            Column(_("Agency"), "agency__name", key="agency"),
        ],
        default_sort="track",
        caption=_("Routing rules"),
    )
    return render(
        request,
        "signals/rule_list.html",
        {"table": table, "can_edit": rules.allows(user, Action.CREATE)},
    )


def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    region = _region(user)
    instance = rules.get_changeable(user, pk=pk) if pk is not None else None
    if instance is None:
        rules.require_create(user)
    if region is None:
        raise PermissionDenied
    form = RoutingRuleForm(
        request.POST or None, instance=instance, region=region, agencies=agency_policy.visible(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rule_save(actor=user, rule=form.instance)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The routing rule is saved."))
            return redirect("signals:rules")
    return render(request, "signals/rule_form.html", {"form": form, "rule": instance})


@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    rule = rules.get_changeable(user, pk=pk)
    services.routing_rule_delete(actor=user, rule=rule)
    messages.success(request, _("The routing rule is deleted."))
    return redirect("signals:rules")


# Bulk upload ----------------------------------------------------------------------------


def upload(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    imports.require_create(user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job, created = bulk.import_job_create(actor=user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if created:
                bulk.run_import.enqueue(job_id=job.pk)
            else:
                messages.info(
                    request, _("This file was uploaded before; nothing is imported twice.")
                )
            return redirect("signals:import_detail", pk=job.pk)
    jobs = imports.visible(user)[:20]
    return render(request, "signals/upload.html", {"form": form, "jobs": jobs})


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = imports.get_visible(_user(request), pk=pk)
    template = (
        "signals/import_status.html"
        if request.headers.get("HX-Request")
        else "signals/import_detail.html"
    )
    return render(request, template, {"job": job})


def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = imports.get_visible(_user(request), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="errors-{job.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Row"), _("Error")])
    for row, message in job.errors:
        writer.writerow([row, message])
    return response
