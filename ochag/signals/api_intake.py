"""Intake for agencies' systems: an API signal and its idempotency record in one
transaction.

Concurrent requests used to be combined into shared transactions (a leader/follower
combiner); measured on and off in alternating runs it bought nothing beyond the noise
(bench/results/intake-switches-2026-12-03T0801.md), so it was removed (issue 11 §6).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from ochag.access.models import AgencyToken
from ochag.core.inserts import insert_many
from ochag.core.models import IdempotencyRecord
from ochag.signals.config import IntakeContext, RegionConfig
from ochag.signals.inputs import Prepared
from ochag.signals.intake import signals_write
from ochag.signals.models import Signal


@dataclass(eq=False)
class ApiItem:
    """A validated API signal with its idempotency key (empty: none), waiting to be written."""

    prepared: Prepared
    config: RegionConfig
    token: AgencyToken
    key: str
    body_hash: str
    respond: Callable[[Signal], dict[str, Any]]


def signal_create_from_api(item: ApiItem) -> dict[str, Any] | IntegrityError:
    """Write an API signal with its idempotency record; the response body, or the
    IntegrityError when a concurrent request used the same idempotency key first (the
    whole signal is rolled back, and the caller answers as the first request was)."""
    try:
        with transaction.atomic():
            ctx = IntakeContext(item.prepared.data.territory, item.config)
            signals_write([item.prepared], ctx=ctx)
            body = item.respond(item.prepared.signal)
            if item.key:
                insert_many(
                    [
                        IdempotencyRecord(
                            client=item.token.pk,
                            key=item.key,
                            body_hash=item.body_hash,
                            status_code=201,
                            response=body,
                        )
                    ]
                )
            return body
    except IntegrityError as exc:
        return exc
