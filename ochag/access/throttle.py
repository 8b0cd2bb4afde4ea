"""Attempt counters that hold under concurrency, kept in the database.

``take`` counts an attempt *before* the work it guards (checking a password, accepting a
report) and refuses once the window's limit is reached. The bucket row is created with an
INSERT that ignores conflicts and then locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite
runs every transaction as IMMEDIATE, one writer at a time), so twenty concurrent attempts
against a limit of five let exactly five through — on any number of server processes, with
no cache server.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ochag.access.models import ThrottleBucket


def take(key: str, *, limit: int, window: dt.timedelta) -> int | None:
    """Count one attempt for ``key``: its place in the window (1 … limit), or None — and
    nothing counted — once the limit is reached.

    The window starts with the first attempt; the attempt that reaches the limit starts it
    again, so a full bucket stays closed for a whole window after its last accepted attempt.
    """
    now = timezone.now()
    with transaction.atomic():
        ThrottleBucket.objects.bulk_create(
            [ThrottleBucket(key=key, window_start=now, count=0)], ignore_conflicts=True
        )
        bucket = ThrottleBucket.objects.select_for_update().get(key=key)
        if bucket.window_start + window <= now:
            bucket.window_start, bucket.count = now, 0
        if bucket.count >= limit:
            return None
        bucket.count += 1
        if bucket.count == limit:
            bucket.window_start = now
        bucket.save(update_fields=["window_start", "count"])
        return bucket.count


def is_full(key: str, *, limit: int, window: dt.timedelta) -> bool:
    since = timezone.now() - window
    return ThrottleBucket.objects.filter(key=key, count__gte=limit, window_start__gt=since).exists()


def release(key: str) -> None:
    """Forget the attempts of ``key`` (a successful sign-in, an administrator's unlock)."""
    ThrottleBucket.objects.filter(key=key).delete()


def purge(*, older_than: dt.timedelta) -> int:
    """Delete buckets whose window ended long ago; returns how many."""
    deleted, _ = ThrottleBucket.objects.filter(
        window_start__lt=timezone.now() - older_than
    ).delete()
    return deleted
