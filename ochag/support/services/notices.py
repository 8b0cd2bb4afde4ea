"""Telling the one who sent a family of the provider's answer, through access's one
notification mechanism (the inbox, and an e-mail queued in the answer's transaction)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access import notifications
from ochag.support.models import Referral, ReferralStatus

# The answers the one who sent the family is told of (starting the service is routine).
TOLD = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.WAITING,
    ReferralStatus.DECLINED,
    ReferralStatus.COMPLETED,
)


def tell_the_sender(referral: Referral) -> None:
    """The case's curator (for a signal's referral, whoever sent it) gets a notification and
    an e-mail through the one outbox, in this transaction. Number, service and state
    only: no names of the family in an e-mail."""
    if referral.status not in TOLD:
        return
    recipient = referral.case.curator if referral.case is not None else referral.sent_by
    notifications.notify(
        kind="support.referral_answered",
        text=_("Referral No. %(number)s to «%(service)s»: %(state)s")
        % {
            "number": referral.pk,
            "service": referral.service.name,
            "state": referral.get_status_display(),
        },
        recipient=recipient,
        subject=notifications.Subject.of(referral, f"№ {referral.pk}"),
        url=reverse("support:referral", args=[referral.pk]),
        # Once per transition, however often the page is re-submitted.
        key=f"support.referral:{referral.pk}:{referral.version}",
        mail_subject=_("Ochag: an answer to referral No. %(number)s") % {"number": referral.pk},
    )
