"""Case notifications move into access's one notification table (ochag.access.notifications):
each row is copied with the case it is about as its subject, then the cases table goes."""

from django.db import migrations
from django.urls import reverse


def copy_to_access(apps, schema_editor):
    Old = apps.get_model("cases", "Notification")
    New = apps.get_model("access", "Notification")
    # Keep each row's own time: the historical model would stamp them all "now".
    New._meta.get_field("created_at").auto_now_add = False
    rows = [
        New(
            key=n.key,
            kind=n.kind,
            recipient_id=n.recipient_id,
            agency_id=n.agency_id,
            text=n.message,
            url=reverse("cases:detail", args=[n.case_id]),
            subject_type="cases.case",
            subject_id=n.case_id,
            subject_label=n.case.number,
            email=n.email,
            created_at=n.created_at,
            read_at=n.read_at,
        )
        for n in Old.objects.select_related("case").order_by("pk").iterator()
    ]
    New.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0006_notification"),
        ("cases", "0006_task_on_core_deadline_base"),
    ]

    operations = [
        migrations.RunPython(copy_to_access, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
