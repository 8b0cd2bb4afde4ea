"""Plain multi-row INSERTs for the tables intake writes on every call.

``QuerySet.bulk_create`` compiles each call generically and, on PostgreSQL, sends every column
as an array for ``UNNEST`` that psycopg quotes in Python: at the API's batch sizes (a few rows
per combined write) that was about a quarter of a server process's time (see
``bench/results/intake-analysis.md``). :func:`insert_many` writes the same rows with one
``INSERT ... VALUES (...), (...) RETURNING id``: each value is prepared by its field as
Django prepares it (``pre_save``, ``get_db_prep_save``), related objects saved since they
were assigned are picked up the same way, and the SQL text is built once per model.

It covers what intake needs: models with an automatic primary key and no database defaults
or generated columns. Like ``bulk_create`` it sends no model signals and calls no ``save``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models


@dataclass(frozen=True)
class _Plan:
    fields: list[models.Field[Any, Any]]
    head: str  # INSERT INTO table (columns) VALUES
    row: str  # (%s, ..., %s)
    tail: str  # RETURNING the primary key


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


def max_rows(columns: int) -> int:
    """Rows of ``columns`` values one statement may carry: the database's parameter limit,
    or the 65 535 of PostgreSQL's protocol when parameters are bound on the server."""
    return (connection.features.max_query_params or 65535) // columns


def insert_many[M: models.Model](objs: Sequence[M]) -> Sequence[M]:
    """Write unsaved instances of one model in as few INSERTs as the database's parameter
    limit allows; each gets its primary key. Returns ``objs``."""
    if not objs:
        return objs
    model = type(objs[0])
    plan = _plan(model)
    for obj in objs:
        if type(obj) is not model or obj.pk is not None:
            raise ValueError("insert_many takes new instances of one model")
        # Copies the key of a related object saved after it was assigned (bulk_create does).
        obj._prepare_related_fields_for_save(operation_name="insert_many")  # type: ignore[attr-defined]
    size = max(1, max_rows(len(plan.fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            params = [
                field.get_db_prep_save(field.pre_save(obj, True), connection)
                for obj in chunk
                for field in plan.fields
            ]
            cursor.execute(plan.head + ", ".join([plan.row] * len(chunk)) + plan.tail, params)
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias
    return objs
