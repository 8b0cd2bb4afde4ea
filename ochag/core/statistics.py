"""Planner statistics after bulk writes.

PostgreSQL plans from table statistics that autovacuum refreshes, and only some time after a
bulk load (never, where autovacuum is off, as on the test machines). A plan made from empty
statistics believes a freshly loaded table holds one row and nests loops over it: on the
2 000-person demo region the URL walker of bench/trust/run.sh saw the coordinator's home page
take 8.9 s and the duplicates queue 17.9 s, and with this refresh no page over 1.0 s
(bench/results/trust-walk-2026-12-03T1415-914b652.json, …T1459-4ac9f74.json). So whatever
loads many rows at once refreshes the statistics itself."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.checks import CheckMessage, Tags, register
from django.db import DatabaseError, connection

# Below this many rows written, autovacuum's own pace is good enough.
BULK_ROWS = 1000


def statistics_refresh() -> None:
    """ANALYZE the database: seconds on PostgreSQL even at a million persons (it samples);
    SQLite's planner is given its statistics the same way."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def autovacuum_on() -> bool | None:
    """Whether PostgreSQL refreshes statistics by itself (None on another database)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        return bool(cursor.fetchone()[0] == "on")


@register(Tags.database, deploy=True)
def autovacuum_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        on = autovacuum_on()
    except DatabaseError:
        return []
    if on is not False:
        return []
    return [
        checks.Warning(
            "PostgreSQL's autovacuum is off: table statistics go stale as records are added, "
            "and plans made from stale statistics can make pages take seconds.",
            hint="Turn autovacuum on (the default), or schedule ANALYZE nightly.",
            id="core.W001",
        )
    ]
