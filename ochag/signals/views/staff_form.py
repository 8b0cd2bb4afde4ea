"""The staff form: five steps, drafts saved as you go, check your answers."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.models import User
from ochag.access.requests import user_of
from ochag.core.form_views import post_action, submit
from ochag.signals import intake, selectors, services
from ochag.signals.forms import STEP_FORMS, STEP_TITLES, AttachmentsForm
from ochag.signals.inputs import SignalInput, SubjectInput
from ochag.signals.models import Basis, Channel, Signal, SignalDraft, SubjectRole
from ochag.signals.policies import signals
from ochag.signals.views.common import region_of, sent_to


def _step_data(draft: SignalDraft, step: int) -> MultiValueDict[str, Any] | None:
    raw = draft.data.get(f"step{step}")
    return MultiValueDict(raw) if raw is not None else None


def _step_form(step: int, data: Any, user: User) -> Any:
    cls = STEP_FORMS[step - 1]
    kwargs: dict[str, Any] = {"region": region_of(user)} if step == 1 else {}
    return cls(data, **kwargs)


def _raw(request: HttpRequest, form: Any) -> dict[str, list[str]]:
    """What was typed into the form's fields, kept in the draft unvalidated. NUL characters
    are dropped: PostgreSQL's JSON cannot hold them (the form refuses them on submit)."""
    return {
        name: [value.replace("\x00", "") for value in request.POST.getlist(name)]
        for name in form.fields
    }


def staff_new(request: HttpRequest, step: int = 1) -> HttpResponse:
    user = user_of(request)
    signals.require_create(user)
    if not 1 <= step <= len(STEP_FORMS):
        raise Http404
    draft = selectors.draft(user)
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
    user = user_of(request)
    signals.require_create(user)
    try:
        step = int(request.POST.get("step", "0"))
    except ValueError:
        step = 0
    if not 1 <= step <= len(STEP_FORMS):
        return HttpResponse(status=400)
    draft = selectors.draft(user)
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
    user = user_of(request)
    signals.require_create(user)
    draft = selectors.draft(user)
    forms, incomplete = _collect(user, draft)
    if incomplete is not None:
        return redirect(f"{_step_url(incomplete)}?edit=1")
    posted = request.method == "POST"
    upload = AttachmentsForm(request.POST if posted else None, request.FILES if posted else None)

    def send(_data: dict[str, Any]) -> Signal:
        signal = intake.signal_create(
            actor=user, data=_signal_input(forms), attachments=request.FILES.getlist("attachments")
        )
        services.draft_discard(user=user)
        return signal

    done = submit(
        request,
        upload,
        send,
        success=lambda signal: _("Signal %(number)s is sent to %(agency)s.") % sent_to(signal),
        then=lambda signal: reverse("signals:detail", args=[signal.pk]),
    )
    if done:
        return done
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


def _subject(role: SubjectRole, data: dict[str, Any], prefix: str = "") -> SubjectInput:
    """A person the form names: the child's step has plain field names, the parent's the
    ``parent_`` prefix."""
    return SubjectInput(
        role=role,
        last_name=data[f"{prefix}last_name"],
        first_name=data[f"{prefix}first_name"],
        patronymic=data[f"{prefix}patronymic"],
        birth_date=_iso(data[f"{prefix}birth_date"]),
    )


def _signal_input(forms: list[Any]) -> SignalInput:
    source, child, parents, indicators, description = (f.cleaned_data for f in forms)
    subjects = [_subject(SubjectRole.CHILD, child)]
    if parents.get("parent_last_name"):
        subjects.append(_subject(SubjectRole.PARENT, parents, "parent_"))
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
    return post_action(
        request,
        lambda: services.draft_discard(user=user_of(request)),
        success=_("The draft is deleted."),
        then=reverse("signals:staff_step", kwargs={"step": 1}),
    )
