"""The configuration generation and the idempotency records moved from signals to core
(issue 11): the migration keeps every row, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("core", "0002_fk_indexes_covered_by_constraints"),
          ("signals", "0004_fk_indexes_covered_by_constraints")]  # fmt: skip
AFTER = [("signals", "0005_infrastructure_models_moved_to_core")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_the_generation_and_every_idempotency_record() -> None:
    from ochag.access.tests.factories import AgencyFactory

    agency = AgencyFactory.create()
    try:
        old = _migrate(BEFORE).loader.project_state(BEFORE).apps
        token = old.get_model("signals", "AgencyToken").objects.create(
            agency_id=agency.pk, name="ЕИС", prefix="abcd", key_hash="h" * 64
        )
        old.get_model("signals", "ConfigGeneration").objects.update_or_create(
            pk=1, defaults={"value": "g" * 32}
        )
        record = old.get_model("signals", "IdempotencyRecord")
        stored = [
            record.objects.create(
                token_id=token.pk,
                key=f"k-{i}",
                body_hash="b",
                status_code=201,
                response={"number": f"С-{i}"},
            )
            for i in range(3)
        ]
        new = _migrate(AFTER).loader.project_state(AFTER).apps
        assert new.get_model("core", "ConfigGeneration").objects.get(pk=1).value == "g" * 32
        moved = new.get_model("core", "IdempotencyRecord").objects.order_by("pk")
        assert [(r.pk, r.client, r.key, r.response) for r in moved] == [
            (r.pk, token.pk, r.key, r.response) for r in stored
        ]
        # A new record gets a fresh id after the copied ones (PostgreSQL's sequence moved).
        fresh = new.get_model("core", "IdempotencyRecord").objects.create(
            client=token.pk, key="later", body_hash="b", status_code=201, response={}
        )
        assert fresh.pk > stored[-1].pk
    finally:
        _migrate(_leaf_nodes())


def _leaf_nodes() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
