"""What support adds to a case's pages (registered with ``ochag.cases.extensions``):
its referrals on the timeline, and a «Support» section in the case's navigation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.cases.extensions import Event, Section
from ochag.cases.models import Case
from ochag.support import selectors
from ochag.support.models import ReferralEvent


def timeline(user: User, case: Case) -> list[Event]:
    """Every transition of the case's referrals the user may see."""
    rows = (
        ReferralEvent.objects.filter(referral__in=selectors.case_referrals(user, case))
        .select_related("referral__service__provider", "actor", "actor__agency")
        .order_by("at", "pk")
    )
    return [
        Event(
            _("Referral No. %(number)s to «%(service)s», %(provider)s: %(state)s")
            % {
                "number": row.referral_id,
                "service": row.referral.service.name,
                "provider": row.referral.service.provider.name,
                "state": row.get_status_display(),
            },
            row.actor.display_name,
            str(row.actor.agency or ""),
            row.at,
            row.note,
        )
        for row in rows
    ]


def sections(user: User, case: Case) -> list[Section]:
    if not user.sees_personal_data:
        return []
    return [Section(_("Support and referrals"), reverse("support:case", args=[case.pk]))]
