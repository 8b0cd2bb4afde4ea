"""Combined intake for agencies' systems: concurrent API requests of one process share a
transaction (see :mod:`ochag.core.combining`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from ochag.core.combining import Combiner
from ochag.core.inserts import insert_many
from ochag.core.models import IdempotencyRecord
from ochag.signals.config import IntakeContext, RegionConfig
from ochag.signals.inputs import Prepared, signal_prepare
from ochag.signals.intake import signals_write
from ochag.signals.models import AgencyToken, Signal


@dataclass(eq=False)
class ApiItem:
    """A validated API signal with its idempotency key (empty: none), waiting to be written."""

    prepared: Prepared
    config: RegionConfig
    token: AgencyToken
    key: str
    body_hash: str
    respond: Callable[[Signal], dict[str, Any]]


def _write_api_batch(items: Sequence[ApiItem]) -> list[dict[str, Any] | IntegrityError]:
    """The response body of each item, or the IntegrityError that refused it (its
    idempotency key was used at the same moment). One transaction per region when nothing
    collides; after a collision each item of the group gets a transaction of its own."""
    results: dict[int, dict[str, Any] | IntegrityError] = {}
    groups: dict[int, list[ApiItem]] = defaultdict(list)
    for item in items:
        groups[id(item.config)].append(item)
    for group in groups.values():
        try:
            with transaction.atomic():
                results.update(_write_api_group(group))
        except IntegrityError:
            for item in group:
                # The rolled-back rows are prepared again: their objects hold stale keys.
                again = signal_prepare(item.prepared.data, actor=None, ctx=IntakeContext(
                    item.prepared.data.territory, item.config))  # fmt: skip
                again.request_id = item.prepared.request_id
                retry = replace(item, prepared=again)
                try:
                    with transaction.atomic():
                        results.update({id(item): _write_api_group([retry])[id(retry)]})
                except IntegrityError as exc:
                    results[id(item)] = exc
    return [results[id(item)] for item in items]


def _write_api_group(group: list[ApiItem]) -> dict[int, dict[str, Any]]:
    ctx = IntakeContext(group[0].prepared.data.territory, group[0].config)
    signals_write([item.prepared for item in group], ctx=ctx)
    bodies = {id(item): item.respond(item.prepared.signal) for item in group}
    insert_many(
        [
            IdempotencyRecord(
                client=item.token.pk,
                key=item.key,
                body_hash=item.body_hash,
                status_code=201,
                response=bodies[id(item)],
            )
            for item in group
            if item.key
        ]
    )
    return bodies


_API_COMBINER: Combiner[ApiItem, dict[str, Any] | IntegrityError] = Combiner(_write_api_batch)


def signal_create_from_api(item: ApiItem) -> dict[str, Any] | IntegrityError:
    """Write an API signal together with whatever other requests of this process are
    writing at the same moment (see :mod:`ochag.core.combining`): under load a batch costs
    about as many statements as one signal. Returns the response body, or the
    IntegrityError when a concurrent request used the same idempotency key."""
    if not settings.OCHAG_API_COMBINER:
        return _write_api_batch([item])[0]
    return _API_COMBINER.submit(item)
