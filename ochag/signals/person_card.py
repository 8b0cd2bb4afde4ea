"""The signals section of a person's card (registered with ``ochag.registry.extensions``):
signals naming the person, or about a household the person belongs to, that the user may
see whole. A reporting agency sees only what it sent, not whom a signal was linked to, so
its own submissions are not listed here."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.registry.extensions import CardRow, CardSection, PersonContext
from ochag.signals.models import Colour, Signal, Status
from ochag.signals.policies import SignalPolicyAction, signals

TONES = {Colour.RED: "red", Colour.AMBER: "amber", Colour.YELLOW: "blue"}
# Shown on the card; the rest are a link away on the signal queue.
LIMIT = 20


def section(user: User, context: PersonContext) -> CardSection | None:
    if not signals.allows(user, SignalPolicyAction.VIEW_FULL):
        return None
    about = Q(subjects__person=context.person)
    if context.households:
        about |= Q(household__in=context.households)
    # A subquery, so a signal naming both the person and the household is listed once.
    ids = Signal.objects.filter(about).values("pk")
    found = (
        signals.visible(user, SignalPolicyAction.VIEW_FULL)
        .filter(pk__in=ids)
        .order_by("-received_at")[:LIMIT]
    )
    rows = [
        CardRow(
            _("Signal %(number)s of %(date)s")
            % {
                "number": signal.number,
                "date": timezone.localtime(signal.received_at).strftime("%d.%m.%Y"),
            },
            reverse("signals:detail", args=[signal.pk]),
            ", ".join(
                part
                for part in (
                    signal.get_colour_display(),
                    str(signal.routed_to) if signal.routed_to_id else "",
                )
                if part
            ),
            badge=signal.get_status_display(),
            tone=TONES.get(Colour(signal.colour), "grey")
            if signal.status not in (Status.CLOSED, Status.RETURNED)
            else "grey",
        )
        for signal in found
    ]
    return CardSection(_("Signals"), rows, empty=_("No signals you may see."), order=20)
