"""SignalTask moves onto core's deadline base (ochag.core.deadlines.DeadlineTask):
``due_date`` becomes ``due_on``; ``done_at`` (never written) gives way to ``done_on``, set for
the tasks of signals already taken on (their day) or returned or closed."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncDate


def done_on_for_finished_signals(apps, schema_editor):
    SignalTask = apps.get_model("signals", "SignalTask")
    Signal = apps.get_model("signals", "Signal")
    taken = Signal.objects.filter(pk=OuterRef("signal_id")).values(day=TruncDate("taken_at"))
    SignalTask.objects.filter(signal__taken_at__isnull=False).update(
        done_on=Subquery(taken[:1])
    )
    SignalTask.objects.filter(
        done_on__isnull=True, signal__status__in=["returned", "closed"]
    ).update(done_on=TruncDate("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0009_agency_tokens_moved_to_access"),
    ]

    operations = [
        migrations.RenameField(model_name="signaltask", old_name="due_date", new_name="due_on"),
        migrations.AlterField(
            model_name="signaltask",
            name="due_on",
            field=models.DateField(db_index=True, verbose_name="deadline"),
        ),
        migrations.RemoveField(model_name="signaltask", name="done_at"),
        migrations.AddField(
            model_name="signaltask",
            name="done_on",
            field=models.DateField(blank=True, null=True, verbose_name="done on"),
        ),
        migrations.AddField(
            model_name="signaltask",
            name="overdue_since",
            field=models.DateField(
                blank=True, db_index=True, null=True, verbose_name="overdue since"
            ),
        ),
        migrations.RunPython(done_on_for_finished_signals, migrations.RunPython.noop),
    ]
