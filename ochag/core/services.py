"""Writes owned by the core: audit entries, access-log entries, calendar overrides.

Audit entries are written by the service that makes the change, inside its transaction, so
a change and its record commit or roll back together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict, Unpack

from django.db import models, transaction

from ochag.core.actors import Actor
from ochag.core.generation import config_generation_bump
from ochag.core.inserts import insert_many
from ochag.core.models import AccessLogEntry, AuditAction, AuditEvent, CalendarOverride, Territory
from ochag.core.request_context import current_request_id


class ConflictError(Exception):
    """Someone else saved a versioned record since the form was opened (``current``: the
    record as saved now). Every app's versioned services raise this one class, so the one
    versioned form step (``core.form_views.versioned_submit``) answers them all.

    ``fresh``: the hidden fields a form binds again to go on from what is saved now (by
    default the record's ``version``; a record whose freshness is another field, such as the
    registry's disability status, names it)."""

    def __init__(self, current: Any, *, fresh: Mapping[str, Any] | None = None) -> None:
        super().__init__("version conflict")
        self.current = current
        self.fresh = dict(fresh) if fresh is not None else {"version": current.version}


def locked_at_version[M: models.Model](
    queryset: models.QuerySet[M] | models.Manager[M], pk: Any, version: int
) -> M:
    """The record ``pk`` locked for the change (SELECT … FOR UPDATE, in the caller's
    transaction) while it is still at ``version``, the one the form was opened at; else
    ``ConflictError`` with the record as saved now."""
    current = queryset.select_for_update().get(pk=pk)
    if current.version != version:  # type: ignore[attr-defined]
        raise ConflictError(current)
    return current


def changes_apply(
    obj: models.Model, fields: Iterable[str], data: Mapping[str, Any]
) -> dict[str, list[str]]:
    """Set on ``obj`` each of ``fields`` that ``data`` changes; their old and new values, as
    text, for the audit entry's detail."""
    changed = {}
    for name in fields:
        if name in data and getattr(obj, name) != data[name]:
            changed[name] = [str(getattr(obj, name)), str(data[name])]
            setattr(obj, name, data[name])
    return changed


def _actor_fields(actor: Actor | None) -> dict[str, Any]:
    if actor is None or not actor.is_authenticated:
        return {"actor": None, "actor_label": "system", "agency": None}
    return {
        "actor": actor,
        "actor_label": f"{actor.get_full_name() or actor.username} ({actor.username})",
        "agency": actor.agency,
    }


class AuditAbout(TypedDict, total=False):
    """What an audit entry is about, besides who did what (all optional)."""

    obj: models.Model | None
    territory: Territory | None  # default: the object's, else the actor's agency's
    detail: dict[str, Any] | None
    object_label: str | None  # default: str(obj)


def audit_event(
    *,
    actor: Actor | None,
    action: str,
    request_id: str | None = None,
    **about: Unpack[AuditAbout],
) -> AuditEvent:
    """An unsaved audit event, for a service that writes many at once (audit_record_many).
    ``request_id`` names the request when the event is built outside it (a combined batch)."""
    obj, territory, label = about.get("obj"), about.get("territory"), about.get("object_label")
    if territory is None and obj is not None:
        territory = getattr(obj, "territory", None)
    if territory is None and actor is not None and getattr(actor, "agency", None) is not None:
        territory = actor.agency.territory
    return AuditEvent(
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(label if label is not None else str(obj) if obj else "")[:300],
        territory=territory,
        detail=about.get("detail") or {},
        request_id=request_id or current_request_id.get(),
        **_actor_fields(actor),
    )


def audit_record(*, actor: Actor | None, action: str, **about: Unpack[AuditAbout]) -> AuditEvent:
    """Record one audit event; call it inside the transaction of the change it describes."""
    event = audit_event(actor=actor, action=action, **about)
    event.save(force_insert=True)
    return event


def audit_record_many(events: list[AuditEvent]) -> None:
    """Record events built with :func:`audit_event` in one INSERT, inside the transaction of
    the changes they describe (bulk intake writes hundreds per batch)."""
    insert_many(events)


def _access_entry(fields: dict[str, Any], obj: models.Model, purpose: str) -> AccessLogEntry:
    return AccessLogEntry(
        actor=fields["actor"],
        actor_label=fields["actor_label"],
        agency=fields["agency"],
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        purpose=purpose[:200],
        request_id=current_request_id.get(),
    )


def access_log_record(*, actor: Actor, obj: models.Model, purpose: str = "") -> AccessLogEntry:
    """Record that ``actor`` was shown the personal record ``obj``."""
    entry = _access_entry(_actor_fields(actor), obj, purpose)
    entry.save(force_insert=True)
    return entry


def access_log_record_many(
    *, actor: Actor, objs: Sequence[models.Model], purpose: str = ""
) -> None:
    """Record that ``actor`` was shown each of ``objs`` (a page listing several families'
    records), in one INSERT."""
    fields = _actor_fields(actor)
    AccessLogEntry.objects.bulk_create([_access_entry(fields, obj, purpose) for obj in objs])


@transaction.atomic
def calendar_override_set(
    *, actor: Actor, region: Territory, date: dt.date, is_working: bool, reason: str
) -> CalendarOverride:
    override, _ = CalendarOverride.objects.update_or_create(
        region=region, date=date, defaults={"is_working": is_working, "reason": reason}
    )
    audit_record(
        actor=actor,
        action=AuditAction.CALENDAR_CHANGED,
        obj=override,
        territory=region,
        detail={"date": date.isoformat(), "is_working": is_working, "reason": reason},
    )
    config_generation_bump()
    return override


@transaction.atomic
def calendar_override_delete(*, actor: Actor, override: CalendarOverride) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CALENDAR_CHANGED,
        obj=override,
        territory=override.region,
        detail={"date": override.date.isoformat(), "deleted": True},
    )
    override.delete()
    config_generation_bump()
