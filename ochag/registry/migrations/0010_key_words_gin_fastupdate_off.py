"""The key words' GIN index without a pending list (PostgreSQL).

With ``fastupdate`` on (PostgreSQL's default) new persons' words wait in the index's pending
list, which every look-up reads whole until a vacuum merges it (autovacuum is off on the
benchmark machine; on a server between two of its runs), and every intake looks up each
person it cannot link. With ~1 000 pending entries 50 tolerant look-ups took 825-1 320 ms,
merged 283-634 ms (104 000 persons, load 8: bench/intake/widening.py --merge,
bench/results/intake-widening-2026-12-04T0458.json). An insert now updates the index at
once: a few index pages per new person.
"""

from typing import Any

from django.db import migrations

INDEX = "registry_person_key_words_gin"


def fastupdate_off(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {INDEX} SET (fastupdate = off)")
        # what is pending already stays until merged: merge it now
        schema_editor.execute(f"SELECT gin_clean_pending_list('{INDEX}'::regclass)")


def fastupdate_on(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {INDEX} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_person_key_words"),
    ]

    operations = [migrations.RunPython(fastupdate_off, fastupdate_on)]
