"""What support adds to a signal's page (registered with ``ochag.signals.extensions``): the
referrals made from the signal, and a link to refer the family while it is worked on."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.signals.extensions import Panel, PanelLine
from ochag.signals.models import Signal
from ochag.support import policies, selectors


def panels(user: User, signal: Signal) -> list[Panel]:
    if not user.sees_personal_data:
        return []
    rows = selectors.signal_referrals(user, signal).order_by("sent_at", "pk")
    may_refer = policies.may_refer_from_signal(user, signal)
    if not may_refer and not rows:
        return []
    return [
        Panel(
            title=_("Referrals to services"),
            lines=[
                PanelLine(
                    _("No. %(number)s: «%(service)s», %(provider)s — %(state)s")
                    % {
                        "number": row.pk,
                        "service": row.service.name,
                        "provider": row.service.provider.name,
                        "state": row.get_status_display(),
                    },
                    reverse("support:referral", args=[row.pk]),
                )
                for row in rows
            ],
            empty=_("The family has not been referred to a service from this signal."),
            action_label=_("Refer the family to a service") if may_refer else "",
            action_url=reverse("support:signal_referral_create", args=[signal.pk])
            if may_refer
            else "",
        )
    ]
