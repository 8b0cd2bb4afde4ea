# API tokens moved to access (issue 12 #4): access creates its table first, every token is
# copied with its id (idempotency records name tokens by id), then the signals table is dropped.

from typing import Any

from django.db import migrations

FIELDS = ("agency_id", "name", "prefix", "key_hash", "created_at", "revoked_at")


def copy_to_access(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    old = apps.get_model("signals", "AgencyToken")
    new = apps.get_model("access", "AgencyToken")
    new.objects.using(alias).bulk_create(
        new(pk=row.pk, **{field: getattr(row, field) for field in FIELDS})
        for row in old.objects.using(alias).order_by("pk")
    )
    # auto_now_add would have stamped the copies with today: keep the issue times.
    for row in old.objects.using(alias).all():
        new.objects.using(alias).filter(pk=row.pk).update(created_at=row.created_at)
    if schema_editor.connection.vendor == "postgresql":
        # Rows were inserted with their ids: move the sequence past them.
        table = new._meta.db_table
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
            )


def copy_back(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    old = apps.get_model("signals", "AgencyToken")
    new = apps.get_model("access", "AgencyToken")
    old.objects.using(alias).bulk_create(
        old(pk=row.pk, **{field: getattr(row, field) for field in FIELDS})
        for row in new.objects.using(alias).order_by("pk")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0008_import_lease"),
        ("access", "0004_agency_tokens_from_signals"),
    ]

    operations = [
        migrations.RunPython(copy_to_access, copy_back),
        migrations.DeleteModel(name="AgencyToken"),
    ]
