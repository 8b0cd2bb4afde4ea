"""Plain multi-row INSERTs for the tables intake writes on every call.

``QuerySet.bulk_create`` compiles each call generically and, on PostgreSQL, sends every column
as an array for ``UNNEST`` that psycopg quotes in Python: at the API's batch sizes (a few rows
per combined write) that was about a quarter of a server process's time (see
``bench/results/intake-analysis.md``). :func:`insert_many` writes the same rows with one
``INSERT ... VALUES (...), (...) RETURNING id``: each value is prepared by its field as
Django prepares it (``pre_save``, ``get_db_prep_save``), related objects saved since they
were assigned are picked up the same way, and the SQL text is built once per model.

That wins only for a few rows: per row, psycopg's quoting of each value costs more than its
dumping of one array per column. An ad-hoc micro-benchmark on PostgreSQL (AuditEvent rows, not
kept in the repository; µs per row, this vs bulk_create):
1 row 220 vs 336, 3 rows 106 vs 210, 10 rows 80 vs 96, 30 rows 80 vs 62, 500 rows 71 vs 45.
So a call with more than :data:`FEW_ROWS` rows (an import batch) goes to ``bulk_create``.

It covers what intake needs: models with an automatic primary key and no database defaults
or generated columns. Like ``bulk_create`` it sends no model signals and calls no ``save``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models


@dataclass(frozen=True)
class _Plan:
    fields: list[models.Field[Any, Any]]
    head: str  # INSERT INTO table (columns) VALUES
    row: str  # (%s, ..., %s)
    tail: str  # RETURNING the primary key


FEW_ROWS = 20

_PLANS: dict[tuple[str, type[models.Model]], _Plan] = {}


def _plan(model: type[models.Model]) -> _Plan:
    key = (connection.vendor, model)
    plan = _PLANS.get(key)
    if plan is None:
        opts = model._meta
        pk = opts.pk
        if pk is None or not isinstance(pk, models.AutoField | models.BigAutoField):
            raise TypeError(f"{opts.label} has no automatic primary key")
        fields = [f for f in opts.concrete_fields if f is not pk]
        unsupported = [f.name for f in fields if f.generated or f.has_db_default()]
        if unsupported:
            raise TypeError(f"{opts.label}: database-computed fields {unsupported}")
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column or f.name) for f in fields)
        plan = _PLANS[key] = _Plan(
            fields=fields,
            # Built from the model's own table and column names only.
            head=f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ",  # noqa: S608
            row="(" + ", ".join(["%s"] * len(fields)) + ")",
            tail=f" RETURNING {quote(pk.column or pk.name)}",
        )
    return plan


def insert_many[M: models.Model](objs: Sequence[M]) -> Sequence[M]:
    """Write unsaved instances of one model, each getting its primary key: a few rows with
    one plain INSERT, more with ``bulk_create``. Returns ``objs``."""
    if not objs:
        return objs
    model = type(objs[0])
    plan = _plan(model)
    for obj in objs:
        if type(obj) is not model or obj.pk is not None:
            raise ValueError("insert_many takes new instances of one model")
    if len(objs) > FEW_ROWS or not settings.OCHAG_PLAIN_INSERTS:
        return model._default_manager.bulk_create(objs)
    for obj in objs:
        # Copies the key of a related object saved after it was assigned (bulk_create does).
        obj._prepare_related_fields_for_save(operation_name="insert_many")  # type: ignore[attr-defined]
    params = [
        field.get_db_prep_save(field.pre_save(obj, True), connection)
        for obj in objs
        for field in plan.fields
    ]
    # At most FEW_ROWS rows: far below any database's parameter limit.
    with connection.cursor() as cursor:
        cursor.execute(plan.head + ", ".join([plan.row] * len(objs)) + plan.tail, params)
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias
    return objs
