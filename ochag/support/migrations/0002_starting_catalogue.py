"""Seed the regional catalogue with the twelve types issue 14 lists (the coordinator edits it)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from ochag.support.catalogue import STARTING_CATALOGUE


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ServiceType = apps.get_model("support", "ServiceType")
    for order, (code, name, plain_name) in enumerate(STARTING_CATALOGUE, start=1):
        ServiceType.objects.get_or_create(
            code=code, defaults={"name": name, "plain_name": plain_name, "order": order * 10}
        )


def unseed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ServiceType = apps.get_model("support", "ServiceType")
    ServiceType.objects.filter(
        code__in=[code for code, _name, _plain in STARTING_CATALOGUE], services__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
