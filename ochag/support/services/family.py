"""The family's page: the link with a code the curator issues, revokes, and the family opens.

Only a keyed hash of the code is stored. A wrong, expired or revoked code gets the same
answer as one that never existed, so the page tells nothing about whether a family exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.cases.models import Case
from ochag.core.services import audit_record
from ochag.support.models import FamilyLink, SupportAction
from ochag.support.sms import send_sms

# No 0/O, 1/I/L: the code is read from paper and typed on a phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
PHONE = re.compile(r"^\+?[0-9]{10,15}$")


def _normalise(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", code.upper())


def code_hash(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, _normalise(code).encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@transaction.atomic
def family_link_issue(
    *, actor: User, case: Case, days: int, phone: str = ""
) -> tuple[FamilyLink, str]:
    """A new link valid for ``days``; returns it with the code (shown once, on the slip)."""
    if not case.is_open:
        raise ValidationError(_("The case is closed; a family page is issued for open cases."))
    digits = re.sub(r"[\s()-]", "", phone)
    if phone and not PHONE.match(digits):
        raise ValidationError({"phone": _("Enter the phone as digits, e.g. +7 912 345-67-89.")})
    code = _new_code()
    link = FamilyLink.objects.create(
        case=case,
        code_hash=code_hash(code),
        issued_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action=SupportAction.FAMILY_LINK_ISSUED,
        obj=case,
        detail={"link": link.pk, "days": days, "sms": bool(phone)},
    )
    if digits:
        text = _("Your family's page: %(url)s code %(code)s") % {
            "url": getattr(settings, "OCHAG_PUBLIC_URL", "") + "/family/",
            "code": code,
        }
        transaction.on_commit(lambda: send_sms(digits, text))
    return link, code


@transaction.atomic
def family_link_revoke(*, actor: User, link: FamilyLink) -> FamilyLink:
    current = FamilyLink.objects.select_for_update().get(pk=link.pk)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=SupportAction.FAMILY_LINK_REVOKED,
            obj=current.case,
            detail={"link": current.pk},
        )
    return current


@transaction.atomic
def family_page_open(*, code: str) -> FamilyLink | None:
    """The link for a valid code, with the opening logged; None for any other code."""
    now = timezone.now()
    link = (
        FamilyLink.objects.select_for_update()
        .filter(code_hash=code_hash(code), revoked_at__isnull=True, expires_at__gt=now)
        .select_related("case", "case__territory")
        .first()
    )
    if link is None:
        return None
    FamilyLink.objects.filter(pk=link.pk).update(openings=F("openings") + 1, last_opened_at=now)
    audit_record(
        actor=None,
        action=SupportAction.FAMILY_PAGE_OPENED,
        obj=link.case,
        detail={"link": link.pk},
    )
    return link
