"""Intake for agencies' systems: concurrent API requests of one process share a transaction
(see :mod:`ochag.core.combining`), each signal with its idempotency record.

The combiner was removed once by issue 11 §6's rule (it measured +12 % at b3f798a, under the
15 % bar) and came back when the same rule, applied to the faster write path of a later tree,
measured far more (``bench/intake/switches.sh``; README, "Measured mechanisms").
``OCHAG_API_COMBINER=0`` writes each request alone, to measure what the combiner buys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from ochag.access.models import AgencyToken
from ochag.core.combining import Combiner
from ochag.core.inserts import insert_many
from ochag.core.models import IdempotencyRecord
from ochag.signals.config import IntakeContext, RegionConfig
from ochag.signals.inputs import Prepared, signal_prepare
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


# What a request's write comes to: its response body, the IntegrityError of a lost race for
# its idempotency key, or any other error, raised again in the request's own thread.
Outcome = dict[str, Any] | Exception


def api_batch_write(items: Sequence[ApiItem]) -> list[Outcome]:
    """The outcome of each item. One transaction per region when nothing fails; when a
    group fails (a key used twice at the same moment, or anything else) each of its items
    is written again in a transaction of its own, so one request's lost race or bad data
    never costs another request of the batch its signal."""
    results: dict[int, Outcome] = {}
    groups: dict[int, list[ApiItem]] = defaultdict(list)
    for item in items:
        groups[id(item.config)].append(item)
    for group in groups.values():
        try:
            with transaction.atomic():
                results.update(_write_group(group))
        except Exception as exc:  # each item is retried alone, or gets it
            if len(group) == 1:
                results[id(group[0])] = exc
            else:
                for item in group:
                    results[id(item)] = _write_again(item)
    return [results[id(item)] for item in items]


def _write_again(item: ApiItem) -> Outcome:
    """One item of a failed group, in a transaction of its own."""
    try:
        # the rolled-back rows are prepared again: their objects hold stale keys
        prepared = signal_prepare(
            item.prepared.data,
            actor=None,
            ctx=IntakeContext(item.prepared.data.territory, item.config),
        )
        prepared.request_id = item.prepared.request_id
        item = replace(item, prepared=prepared)
        with transaction.atomic():
            return _write_group([item])[id(item)]
    except Exception as exc:  # handed to the request's own thread
        return exc


def _write_group(group: list[ApiItem]) -> dict[int, dict[str, Any]]:
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


_COMBINER: Combiner[ApiItem, Outcome] = Combiner(api_batch_write)


def signal_create_from_api(item: ApiItem) -> dict[str, Any] | IntegrityError:
    """Write an API signal together with whatever other requests of this process are
    writing at the same moment: under load a batch costs about as many statements as one
    signal. The response body, or the IntegrityError when a concurrent request used the same
    idempotency key first (its signal is rolled back whole; the caller answers as the first
    request was answered); any other error is raised here, in this request alone."""
    if not settings.OCHAG_API_COMBINER:
        outcome = api_batch_write([item])[0]
    else:
        outcome = _COMBINER.submit(item)
    if isinstance(outcome, Exception) and not isinstance(outcome, IntegrityError):
        raise outcome
    return outcome
