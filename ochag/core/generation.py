"""The configuration generation: one value that changes with every change of what processes
cache, in the change's own transaction, so a process knows when its cache is stale.

A database without one (new, or flushed by a test) gets a fresh random value, so no cache
built on another database is ever reused. Random rather than a counter: a rolled-back change
must never be able to reproduce a generation some process already cached.
"""

from __future__ import annotations

import uuid

from django.db import connection

from ochag.core.models import ConfigGeneration


def config_generation() -> str:
    """The current generation (one statement: it is asked on every intake)."""
    # A plain statement costs a tenth of the ORM's query compilation.
    table = connection.ops.quote_name(ConfigGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = 1")  # noqa: S608 (model's table)
        row = cursor.fetchone()
    value = row[0] if row else None
    if value is None:
        value = ConfigGeneration.objects.get_or_create(pk=1, defaults={"value": _fresh()})[0].value
    return str(value)


def config_generation_bump() -> None:
    """Start a new generation; call it inside the transaction that changes configuration, so
    a rolled-back change leaves the generation as it was."""
    ConfigGeneration.objects.update_or_create(pk=1, defaults={"value": _fresh()})


def _fresh() -> str:
    return uuid.uuid4().hex
