"""API tokens of agencies' systems: issue (shown once, stored hashed), revoke, rotate, and the
look-up every API call makes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ochag.access.models import Agency, AgencyToken, TrustAction, User
from ochag.core.services import audit_record

# A rotated token keeps working this long, so the agency's system can switch without a gap.
ROTATION_OVERLAP = dt.timedelta(hours=24)
# last_used_at is written at most this often per token: not a write on every API call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def agency_token_issue(
    *,
    actor: User | None,
    agency: Agency,
    name: str,
    expires_at: dt.datetime | None = None,
) -> tuple[AgencyToken, str]:
    """A new token; the raw value is returned once and never stored."""
    raw = "och_" + secrets.token_urlsafe(32)
    token = AgencyToken.objects.create(
        agency=agency,
        name=name,
        prefix=raw[4:12],
        key_hash=token_hash(raw),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action=TrustAction.TOKEN_ISSUED,
        obj=token,
        territory=agency.territory,
        detail={
            "prefix": token.prefix,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return token, raw


@transaction.atomic
def agency_token_revoke(*, actor: User, token: AgencyToken) -> AgencyToken:
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action=TrustAction.TOKEN_REVOKED,
            obj=token,
            territory=token.agency.territory,
            detail={"prefix": token.prefix},
        )
    return token


@transaction.atomic
def agency_token_rotate(*, actor: User, token: AgencyToken) -> tuple[AgencyToken, str]:
    """A new token with the same name and lifetime; the old one ends after the overlap."""
    now = timezone.now()
    lifetime = token.expires_at - token.created_at if token.expires_at else None
    new, raw = agency_token_issue(
        actor=actor,
        agency=token.agency,
        name=token.name,
        expires_at=now + lifetime if lifetime else None,
    )
    ends = now + ROTATION_OVERLAP
    if token.expires_at is None or token.expires_at > ends:
        token.expires_at = ends
        token.save(update_fields=["expires_at"])
    audit_record(
        actor=actor,
        action=TrustAction.TOKEN_ROTATED,
        obj=token,
        territory=token.agency.territory,
        detail={"prefix": token.prefix, "replaced_by": new.prefix, "ends": ends.isoformat()},
    )
    return new, raw


@dataclass(frozen=True)
class LiveToken:
    pk: int
    agency_id: int
    name: str
    prefix: str


def token_lookup(raw: str) -> LiveToken | None:
    """The live token (not revoked, not expired, of an active agency) for a raw value.

    Asked on every API call, so a plain statement; ``last_used_at`` is written only when it
    is more than a minute old.
    """
    if not raw:
        return None
    now = timezone.now()
    tokens = connection.ops.quote_name(AgencyToken._meta.db_table)
    agencies = connection.ops.quote_name(Agency._meta.db_table)
    with connection.cursor() as cursor:
        # Built from the models' own table names only.
        cursor.execute(
            f"SELECT t.id, t.agency_id, t.name, t.prefix, t.last_used_at FROM {tokens} t "  # noqa: S608
            f"JOIN {agencies} a ON a.id = t.agency_id "
            "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND a.is_active "
            "AND (t.expires_at IS NULL OR t.expires_at > %s)",
            [token_hash(raw), now],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    last_used = row[4]
    if isinstance(last_used, str):  # SQLite hands timestamps over as text in raw queries
        last_used = dt.datetime.fromisoformat(last_used)
    if last_used is not None and timezone.is_naive(last_used):
        last_used = timezone.make_aware(last_used, dt.UTC)
    if last_used is None or now - last_used >= LAST_USED_RESOLUTION:
        AgencyToken.objects.filter(pk=row[0]).update(last_used_at=now)
    return LiveToken(pk=row[0], agency_id=row[1], name=row[2], prefix=row[3])
