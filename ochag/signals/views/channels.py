"""The helpline call and the public form (no login)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access import ratelimit
from ochag.access.models import Role
from ochag.access.requests import user_of
from ochag.core.form_views import submit
from ochag.core.forms import add_errors
from ochag.signals import intake, selectors
from ochag.signals.forms import HelplineForm, PublicForm
from ochag.signals.inputs import SignalInput
from ochag.signals.models import Basis, Channel, Signal, receipt_number
from ochag.signals.views.common import region_of, sent_to


def helpline(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if user.role != Role.HELPLINE_OPERATOR:
        raise PermissionDenied
    form = HelplineForm(request.POST or None, region=region_of(user))

    def record(data: dict[str, Any]) -> Signal:
        text = data["original_text"]
        if data.get("child_first_name") or data.get("child_age") is not None:
            text += "\n\n" + _("Child: %(name)s, about %(age)s years old.") % {
                "name": data.get("child_first_name") or "—",
                "age": data.get("child_age") or "—",
            }
        return intake.signal_create(
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

    done = submit(
        request,
        form,
        record,
        success=lambda signal: (
            _("Call recorded as %(number)s and sent to %(agency)s.") % sent_to(signal)
        ),
        then=lambda _signal: reverse("signals:helpline"),
    )
    return done or render(request, "signals/helpline.html", {"form": form})


def _public_limit() -> ratelimit.Limit:
    return ratelimit.Limit(
        scope="public-report",
        per_address=settings.OCHAG_PUBLIC_REPORTS_PER_ADDRESS,
        overall=settings.OCHAG_PUBLIC_REPORTS_OVERALL,
        window=dt.timedelta(hours=1),
    )


@login_not_required
def public_form(request: HttpRequest) -> HttpResponse:
    form = PublicForm(request.POST or None, region=selectors.public_region())
    if request.method == "POST":
        if ratelimit.exhausted(request, _public_limit()):
            return render(request, "signals/public_429.html", status=429)
        if form.is_valid():
            data = form.cleaned_data
            # Counted before anything is stored, atomically: a burst never exceeds the limit.
            if not ratelimit.take(request, _public_limit()):
                return render(request, "signals/public_429.html", status=429)
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
                add_errors(form, exc)
            else:
                # The receipt never says whether the family is already known.
                return render(request, "signals/public_done.html", {"number": signal.number})
    return render(request, "signals/public_form.html", {"form": form})
