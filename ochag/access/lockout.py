"""Sign-in that a guesser can neither outrun nor turn against the account's owner.

Every password or code attempt is counted before it is checked (``throttle.take``), so
concurrent attempts cannot slip past the limit. Attempts are counted per login — known or not,
so the answers never tell which logins exist — and per client address. A browser in which the
owner has signed in before carries a signed *device cookie* for that login; its attempts are
counted in a bucket of its own, so a stranger who exhausts the login's bucket does not lock the
owner out of a browser they have used. When the login's bucket fills for a real account, the
owner is e-mailed a link that makes the browser it is opened in such a trusted device.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ochag.access import notifications, throttle
from ochag.access.addresses import address_digest
from ochag.access.models import Role, TrustAction, User
from ochag.core.models import AuditAction
from ochag.core.services import audit_record

DEVICE_COOKIE = "ochag_device"
DEVICE_MAX_AGE = 180 * 24 * 3600
_DEVICE_SALT = "ochag.access.device"
_UNLOCK_SALT = "ochag.access.unlock"
UNLOCK_LINK_MAX_AGE = 24 * 3600
# The kind of the in-app notification administrators get about a paused login.
LOCK_KIND = "access.locked"


class Refusal(enum.Enum):
    WRONG = "wrong"
    LOCKED = "locked"
    ADDRESS = "address"


@dataclass(frozen=True)
class Attempt:
    user: User | None
    refusal: Refusal | None
    # The bucket the attempt was counted in: the login's, or this browser's for the login.
    key: str


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def login_key(username: str) -> str:
    return f"login:{username.casefold()}"


def _device_key(nonce: str) -> str:
    return f"device:{nonce}"


def _address_key(address: str) -> str:
    return f"login-address:{address_digest(address)}"


def device_cookie_value(username: str) -> str:
    return signing.dumps(
        {"u": username.casefold(), "n": secrets.token_urlsafe(16)}, salt=_DEVICE_SALT
    )


def _device_nonce(cookie: str | None, username: str) -> str | None:
    """The nonce of a valid device cookie issued for this login in this browser."""
    if not cookie:
        return None
    try:
        data = signing.loads(cookie, salt=_DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != username.casefold():
        return None
    return str(data.get("n", "")) or None


def attempt_key(username: str, device_cookie: str | None) -> str:
    nonce = _device_nonce(device_cookie, username)
    return _device_key(nonce) if nonce else login_key(username)


def password_attempt(
    *, request: HttpRequest, username: str, password: str, address: str, device_cookie: str | None
) -> Attempt:
    key = attempt_key(username, device_cookie)
    trusted_device = key != login_key(username)
    # A trusted browser is not held back by what others do from the same address.
    if not trusted_device and not throttle.take(
        _address_key(address), limit=settings.LOGIN_MAX_PER_ADDRESS, window=_window()
    ):
        return Attempt(None, Refusal.ADDRESS, key)
    place = throttle.take(key, limit=settings.LOGIN_MAX_FAILURES, window=_window())
    if place is None:
        return Attempt(None, Refusal.LOCKED, key)
    user = authenticate(request, username=username, password=password)
    if isinstance(user, User):
        throttle.release(key)
        login_success_record(user=user, lifts_lock=not trusted_device)
        return Attempt(user, None, key)
    return _failed(username=username, key=key, place=place)


def code_attempt(*, user: User, device_cookie: str | None) -> int | None:
    """Count a second-factor code before it is checked (the same buckets as passwords):
    the attempt's place in the window, or None when the limit is reached."""
    key = attempt_key(user.username, device_cookie)
    return throttle.take(key, limit=settings.LOGIN_MAX_FAILURES, window=_window())


def code_failed(*, user: User, device_cookie: str | None, place: int) -> Refusal:
    key = attempt_key(user.username, device_cookie)
    refusal = _failed(username=user.username, key=key, place=place).refusal
    return refusal or Refusal.WRONG


def code_passed(*, user: User, device_cookie: str | None) -> None:
    throttle.release(attempt_key(user.username, device_cookie))


def _failed(*, username: str, key: str, place: int) -> Attempt:
    # Exactly one attempt — the one that took the last place — closes the bucket, however
    # many ran at once: one lock entry in the audit log, one e-mail.
    locked = place >= settings.LOGIN_MAX_FAILURES
    user = User.objects.filter(username=username).select_related("agency").first()
    if user is not None:
        login_failure_record(user=user, locked=locked, trusted_device=key != login_key(username))
    return Attempt(None, Refusal.LOCKED if locked else Refusal.WRONG, key)


@transaction.atomic
def login_failure_record(*, user: User, locked: bool, trusted_device: bool) -> None:
    """Audit a failed attempt; when it filled the bucket, mark the account and mail its owner."""
    territory = user.agency.territory if user.agency else None
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        territory=territory,
        detail={"trusted_device": trusted_device},
    )
    if not locked:
        return
    user.locked_until = timezone.now() + _window()
    user.save(update_fields=["locked_until"])
    audit_record(
        actor=None,
        action=AuditAction.LOCKED_OUT,
        obj=user,
        territory=territory,
        detail={"until": user.locked_until.isoformat(), "trusted_device": trusted_device},
    )
    if not trusted_device:
        _tell_of_lock(user)


@transaction.atomic
def login_success_record(*, user: User, lifts_lock: bool) -> None:
    """Audit a sign-in; one through the login's own bucket also ends its pause."""
    if lifts_lock:
        User.objects.filter(pk=user.pk).update(locked_until=None)
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user)


@transaction.atomic
def account_unlock(*, actor: User, user: User) -> User:
    """An administrator lifts the pause on a login for every browser."""
    throttle.release(login_key(user.username))
    User.objects.filter(pk=user.pk).update(locked_until=None)
    user.refresh_from_db()
    audit_record(actor=actor, action=AuditAction.USER_UNLOCKED, obj=user)
    return user


def unlock_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=_UNLOCK_SALT)


def unlock_token_user(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=_UNLOCK_SALT, max_age=UNLOCK_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"], is_active=True).first()


@transaction.atomic
def device_trust_by_link(*, user: User) -> str:
    """The owner opened the e-mailed link: this browser becomes a trusted device for the login.

    The login's own bucket stays as it is, so the stranger who filled it is still held back.
    Returns the device cookie's value."""
    audit_record(actor=None, action=TrustAction.UNLOCKED_BY_EMAIL, obj=user)
    return device_cookie_value(user.username)


def _tell_of_lock(user: User) -> None:
    """The owner is e-mailed an unlock link (through the outbox: queued in this transaction).
    An owner without an e-mail address cannot get one: the region's administrators are told
    in the app instead (every active administrator), with a link to the account, where they
    can lift the pause."""
    if not user.email:
        admins = User.objects.filter(role=Role.ADMINISTRATOR, is_active=True)
        text = _(
            "Sign-in with the login %(login)s is paused after wrong passwords; its owner "
            "has no e-mail address for an unlock link."
        ) % {"login": user.username}
        url = reverse("access:user_detail", args=[user.pk])
        notifications.notify_many(
            [notifications.build(kind=LOCK_KIND, text=text, recipient=a, url=url) for a in admins]
        )
        return
    link = notifications.site_link(reverse("access:unlock", kwargs={"token": unlock_token(user)}))
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Ochag: sign-in with your login is paused")
        body = _(
            "Someone entered a wrong password for your login %(login)s several times, so "
            "sign-in with it is paused for %(minutes)s minutes.\n\n"
            "If it was you, or if you need to sign in now, open this link in the browser you "
            "work in; it lets that browser sign in with your login (valid for 24 hours):\n"
            "%(link)s\n\n"
            "If it was not you, tell your administrator."
        ) % {"login": user.username, "minutes": settings.LOGIN_LOCKOUT_MINUTES, "link": link}
    notifications.mail_queue(recipients=[user.email], subject=subject, body=body)
