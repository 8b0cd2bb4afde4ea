"""The referral's answer deadline moves onto the core deadline base: answer_due becomes
due_on, and done_on records the first answer (or a withdrawal before any)."""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce, TruncDate


def answered_on(apps, schema_editor):  # type: ignore[no-untyped-def]
    Referral = apps.get_model("support", "Referral")
    Referral.objects.exclude(status="sent").update(
        done_on=TruncDate(Coalesce(F("answered_at"), F("closed_at"), F("sent_at")))
    )


class Migration(migrations.Migration):
    dependencies = [("support", "0005_referral_from_signal")]

    operations = [
        migrations.RenameField("referral", "answer_due", "due_on"),
        migrations.AlterField(
            model_name="referral",
            name="due_on",
            field=models.DateField(db_index=True, verbose_name="deadline"),
        ),
        migrations.AddField(
            model_name="referral",
            name="done_on",
            field=models.DateField(blank=True, null=True, verbose_name="done on"),
        ),
        migrations.AddField(
            model_name="referral",
            name="overdue_since",
            field=models.DateField(
                blank=True, db_index=True, null=True, verbose_name="overdue since"
            ),
        ),
        migrations.RunPython(answered_on, migrations.RunPython.noop),
    ]
