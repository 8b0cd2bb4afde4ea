"""Break-glass: the screen that asks for the reason and opens a record for three hours."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.breakglass import GRANT_HOURS
from ochag.access.models import BreakGlassKind
from ochag.registry import services
from ochag.registry.forms import BreakGlassForm
from ochag.registry.policies import households, persons
from ochag.registry.views.common import staff_user

PAGES: dict[str, str] = {BreakGlassKind.PERSON: "registry:person_detail",
         BreakGlassKind.HOUSEHOLD: "registry:household_detail"}  # fmt: skip


def break_glass(request: HttpRequest, kind: str, pk: str) -> HttpResponse:
    user = staff_user(request)
    if kind not in PAGES or not pk.isdigit():
        raise Http404
    record = services.break_glass_target(actor=user, kind=kind, record_id=int(pk))
    if record is None:
        raise Http404
    policy = persons if kind == BreakGlassKind.PERSON else households
    if policy.visible(user).filter(pk=record.pk).exists():
        return redirect(PAGES[kind], pk=record.pk)  # nothing to break: the user sees it
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.break_glass_open(
                actor=user, kind=kind, record_id=record.pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            until = timezone.localtime(grant.expires_at).strftime("%H:%M")
            messages.warning(
                request,
                _("Emergency access is open until %(until)s. The coordinator has been told.")
                % {"until": until},
            )
            return redirect(PAGES[kind], pk=record.pk)
    return render(
        request,
        "registry/break_glass.html",
        {"form": form, "kind": kind, "record_id": record.pk, "hours": GRANT_HOURS},
    )
