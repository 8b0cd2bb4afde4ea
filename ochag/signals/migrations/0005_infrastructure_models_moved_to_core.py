# The configuration generation and the API's idempotency records moved to core (issue 11):
# core creates its tables first, the rows are copied, then the signals tables are dropped.

from typing import Any

from django.db import migrations

BATCH = 2000


def copy_to_core(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    old_generation = apps.get_model("signals", "ConfigGeneration")
    new_generation = apps.get_model("core", "ConfigGeneration")
    new_generation.objects.using(alias).bulk_create(
        new_generation(pk=row.pk, value=row.value)
        for row in old_generation.objects.using(alias).all()
    )
    old_record = apps.get_model("signals", "IdempotencyRecord")
    new_record = apps.get_model("core", "IdempotencyRecord")
    rows = old_record.objects.using(alias).order_by("pk")
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        new_record.objects.using(alias).bulk_create(
            new_record(
                pk=row.pk,
                client=row.token_id,
                key=row.key,
                body_hash=row.body_hash,
                status_code=row.status_code,
                response=row.response,
                created_at=row.created_at,
            )
            for row in batch
        )
        last = batch[-1].pk
    if schema_editor.connection.vendor == "postgresql":
        # Rows were inserted with their ids: move the sequence past them.
        with schema_editor.connection.cursor() as cursor:
            for model in (new_generation, new_record):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
                )


def copy_back(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    old_generation = apps.get_model("signals", "ConfigGeneration")
    new_generation = apps.get_model("core", "ConfigGeneration")
    old_generation.objects.using(alias).bulk_create(
        old_generation(pk=row.pk, value=row.value)
        for row in new_generation.objects.using(alias).all()
    )
    old_record = apps.get_model("signals", "IdempotencyRecord")
    new_record = apps.get_model("core", "IdempotencyRecord")
    old_record.objects.using(alias).bulk_create(
        old_record(
            pk=row.pk,
            token_id=row.client,
            key=row.key,
            body_hash=row.body_hash,
            status_code=row.status_code,
            response=row.response,
            created_at=row.created_at,
        )
        for row in new_record.objects.using(alias).all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0004_fk_indexes_covered_by_constraints"),
        ("core", "0003_config_generation_idempotency_from_signals"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.DeleteModel(name="ConfigGeneration"),
        migrations.RemoveConstraint(model_name="idempotencyrecord", name="idempotency_unique"),
        migrations.DeleteModel(name="IdempotencyRecord"),
    ]
