"""Case notifications through access's one notification mechanism: one per key, the e-mail
queued in the outbox of the same transaction (never during demo generation)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access import notifications
from ochag.access.models import Agency, User
from ochag.cases.models import Case

# The subject type the case notifications carry (the list page filters by it).
CASE = "cases.case"


def notify(
    *,
    key: str,
    kind: str,
    case: Case,
    message: str,
    recipient: User | None = None,
    agency: Agency | None = None,
) -> bool:
    """Record the notification once per key; its e-mail is queued only when it is new."""
    return notifications.notify(
        kind=kind,
        text=message,
        recipient=recipient,
        agency=agency,
        subject=notifications.Subject(CASE, case.pk, case.number),
        url=reverse("cases:detail", args=[case.pk]),
        key=key,
        mail_subject=f"{case.number}: {_('Ochag notification')}",
    )


def inform_agencies(case: Case, kind: str, message: str, stamp: str) -> None:
    for participant in case.participants.select_related("agency"):
        notify(
            key=f"{kind}:{case.pk}:{stamp}:agency:{participant.agency_id}",
            kind=kind,
            case=case,
            agency=participant.agency,
            message=message,
        )
