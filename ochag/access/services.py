"""Writes on agencies and staff accounts, and two-factor enrolment (sign-in throttling is in
lockout.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyotp
from django.contrib.auth import SESSION_KEY as SESSION_USER_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.core.generation import config_generation_bump
from ochag.core.models import AuditAction, Territory
from ochag.core.services import audit_record, changes_apply

AGENCY_FIELDS = ("name", "short_name", "type", "territory", "email", "phone", "is_active")
USER_FIELDS = (
    "username",
    "last_name",
    "first_name",
    "patronymic",
    "email",
    "agency",
    "role",
    "is_supervisor",
    "is_active",
)


@transaction.atomic
def agency_create(
    *,
    actor: User,
    name: str,
    type: AgencyType,
    territory: Territory,
    short_name: str = "",
    email: str = "",
    phone: str = "",
    is_active: bool = True,
) -> Agency:
    agency = Agency.objects.create(
        name=name,
        type=type,
        territory=territory,
        short_name=short_name,
        email=email,
        phone=phone,
        is_active=is_active,
    )
    audit_record(
        actor=actor,
        action=AuditAction.AGENCY_CREATED,
        obj=agency,
        detail={"name": name, "type": str(type)},
    )
    config_generation_bump()
    return agency


@transaction.atomic
def agency_update(*, actor: User, agency: Agency, **data: Any) -> Agency:
    changed = changes_apply(agency, AGENCY_FIELDS, data)
    if changed:
        agency.full_clean()
        agency.save()
        audit_record(actor=actor, action=AuditAction.AGENCY_UPDATED, obj=agency, detail=changed)
        config_generation_bump()
    return agency


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    agency: Agency,
    role: Role,
    last_name: str = "",
    first_name: str = "",
    patronymic: str = "",
    email: str = "",
    is_supervisor: bool = False,
    is_demo: bool = False,
) -> User:
    user = User(
        username=username,
        agency=agency,
        role=role,
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        email=email,
        is_supervisor=is_supervisor,
        is_demo=is_demo,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        actor=actor,
        action=AuditAction.USER_CREATED,
        obj=user,
        territory=agency.territory,
        detail={"role": str(role), "agency": agency.pk},
    )
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, **data: Any) -> User:
    changed = changes_apply(user, USER_FIELDS, data)
    if changed:
        user.save()
        audit_record(actor=actor, action=AuditAction.USER_UPDATED, obj=user, detail=changed)
    return user


@transaction.atomic
def user_password_reset(
    *, actor: User, user: User, password: str, keep_session_key: str | None = None
) -> int:
    """The administrator sets a new password for ``user``: audited, and every session the user
    had ends at once (a reset is what follows a leaked password), except ``keep_session_key``,
    the actor's own when they reset their own password. Returns how many sessions ended."""
    user.set_password(password)
    user.save(update_fields=["password"])
    ended = _sessions_end(user, keep_session_key=keep_session_key)
    audit_record(
        actor=actor,
        action=AuditAction.PASSWORD_RESET,
        obj=user,
        detail={"sessions_ended": ended},
    )
    return ended


def _sessions_end(user: User, *, keep_session_key: str | None) -> int:
    """Delete the user's live sessions. Sessions are signed blobs keyed by a random id, so
    finding one user's means decoding the live ones (a region has a few hundred at a time)."""
    mine = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        if session.get_decoded().get(SESSION_USER_KEY) == str(user.pk)
        and session.session_key != keep_session_key
    ]
    Session.objects.filter(session_key__in=mine).delete()
    return len(mine)


def totp_secret_issue(*, user: User) -> str:
    """A fresh secret for enrolment; it takes effect only once a code from it is confirmed."""
    secret = pyotp.random_base32()
    User.objects.filter(pk=user.pk).update(totp_secret=secret, totp_confirmed_at=None)
    user.totp_secret, user.totp_confirmed_at = secret, None
    return secret


def totp_code_check(*, user: User, code: str) -> bool:
    """Accept a code from the current or adjacent 30-second step, and never the same step twice."""
    code = "".join(ch for ch in code if ch.isdigit())
    if not user.totp_secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = timezone.now()
    for drift in (0, -1, 1):
        moment = now + dt.timedelta(seconds=30 * drift)
        step = int(moment.timestamp()) // 30
        if step > user.totp_last_step and totp.verify(code, for_time=moment, valid_window=0):
            # A conditional update makes a replayed code fail even under concurrency.
            return bool(
                User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(totp_last_step=step)
            )
    return False


@transaction.atomic
def totp_enrolment_confirm(*, user: User, code: str) -> bool:
    if not totp_code_check(user=user, code=code):
        return False
    User.objects.filter(pk=user.pk).update(totp_confirmed_at=timezone.now())
    audit_record(actor=user, action=AuditAction.TOTP_ENROLLED, obj=user)
    return True
