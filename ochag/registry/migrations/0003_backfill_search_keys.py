"""Compute the search keys of persons created before the keys existed (bulk imports, older
demo databases). Uses the live service because the keys come from ochag.linkage."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def backfill(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from ochag.registry.models import Person
    from ochag.registry.services import person_keys_backfill

    person_keys_backfill(Person.objects.all())


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_duplicatecandidate_mergerecord_personkey_and_more")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
