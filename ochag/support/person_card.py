"""The referrals section of a person's card (registered with ``ochag.registry.extensions``):
referrals on the cases (or the signals) of the households the person belongs to, as far as
the referral policy lets the user see them."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.core.policies import Action
from ochag.registry.extensions import CardRow, CardSection, PersonContext
from ochag.support.policies import referrals

LIMIT = 20


def section(user: User, context: PersonContext) -> CardSection | None:
    if not referrals.allows(user, Action.VIEW):
        return None
    rows = []
    if context.households:
        found = (
            referrals.visible(user)
            .filter(
                Q(case__household__in=context.households)
                | Q(signal__household__in=context.households)
            )
            .order_by("-sent_at")[:LIMIT]
        )
        rows = [
            CardRow(
                _("Referral No. %(number)s to «%(service)s», %(provider)s")
                % {
                    "number": referral.pk,
                    "service": referral.service.name,
                    "provider": referral.service.provider.name,
                },
                reverse("support:referral", args=[referral.pk]),
                _("sent %(date)s")
                % {"date": timezone.localtime(referral.sent_at).strftime("%d.%m.%Y")},
                badge=referral.get_status_display(),
                tone="green" if referral.is_open else "grey",
            )
            for referral in found
        ]
    return CardSection(_("Support referrals"), rows, empty=_("No referrals you may see."), order=30)
