"""Task moves onto core's deadline base (ochag.core.deadlines.DeadlineTask): ``deadline``
becomes ``due_on`` and the completion time ``completed_at`` the completion day ``done_on``."""

from django.db import migrations, models
from django.db.models.functions import TruncDate


def done_on_from_completed_at(apps, schema_editor):
    Task = apps.get_model("cases", "Task")
    Task.objects.filter(completed_at__isnull=False).update(done_on=TruncDate("completed_at"))
    # A task marked done without a completion time (none should exist) still counts as done.
    Task.objects.filter(status="done", done_on__isnull=True).update(done_on=TruncDate("updated_at"))


def completed_at_from_done_on(apps, schema_editor):
    Task = apps.get_model("cases", "Task")
    for task in Task.objects.filter(done_on__isnull=False).only("pk", "done_on").order_by():
        Task.objects.filter(pk=task.pk).update(completed_at=task.done_on)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_kdn_sitting"),
    ]

    operations = [
        migrations.RenameField(model_name="task", old_name="deadline", new_name="due_on"),
        migrations.AlterModelOptions(name="task", options={"ordering": ["due_on", "id"]}),
        migrations.AddField(
            model_name="task",
            name="done_on",
            field=models.DateField(blank=True, null=True, verbose_name="done on"),
        ),
        migrations.RunPython(done_on_from_completed_at, completed_at_from_done_on),
        migrations.RemoveField(model_name="task", name="completed_at"),
        migrations.AlterField(
            model_name="task",
            name="overdue_since",
            field=models.DateField(
                blank=True, db_index=True, null=True, verbose_name="overdue since"
            ),
        ),
    ]
