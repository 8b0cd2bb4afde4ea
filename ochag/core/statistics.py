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
# autovacuum's default rule for analysing a table: this many rows plus this share of the
# table changed since its last ANALYZE (autovacuum_analyze_threshold, ..._scale_factor).
ANALYZE_THRESHOLD, ANALYZE_SCALE = 50, 0.1


def statistics_refresh() -> None:
    """ANALYZE the database: seconds on PostgreSQL even at a million persons (it samples);
    SQLite's planner is given its statistics the same way."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def statistics_refresh_changed() -> list[str]:
    """After a bulk write: ANALYZE the tables autovacuum would, by its default rule, and now
    rather than some time later (or never, with autovacuum off); returns them. A file of a
    few thousand rows into a registry of a million changes a few small tables by a tenth,
    not the registry's: ANALYZE of the whole database cost 1.2-1.6 s per import at 100 000
    persons (bench/intake). Elsewhere than on PostgreSQL the whole database, as before."""
    if connection.vendor != "postgresql":
        statistics_refresh()
        return []
    with connection.cursor() as cursor:
        if getattr(connection, "pg_version", 0) >= 150000:
            # this connection's pending counts reach the shared statistics when it goes idle
            # next, at most a second late otherwise
            cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute(
            "SELECT s.schemaname, s.relname FROM pg_stat_user_tables s"
            " JOIN pg_class c ON c.oid = s.relid"
            " WHERE s.n_mod_since_analyze >= %s + %s * GREATEST(c.reltuples, 0)"
            " ORDER BY s.relname",
            [ANALYZE_THRESHOLD, ANALYZE_SCALE],
        )
        tables = [(schema, name) for schema, name in cursor.fetchall()]
        quote = connection.ops.quote_name
        for schema, name in tables:
            cursor.execute(f"ANALYZE {quote(schema)}.{quote(name)}")
    return [name for _, name in tables]


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
