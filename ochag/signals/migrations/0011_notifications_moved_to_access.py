"""Signal notifications move into access's one notification table
(ochag.access.notifications): each row is copied with its signal as the subject (an import's
notices have none), then the signals table goes."""

from django.db import migrations
from django.urls import reverse


def copy_to_access(apps, schema_editor):
    Old = apps.get_model("signals", "Notification")
    New = apps.get_model("access", "Notification")
    # Keep each row's own time: the historical model would stamp them all "now".
    New._meta.get_field("created_at").auto_now_add = False
    rows = []
    for n in Old.objects.select_related("signal").order_by("pk").iterator():
        about = n.signal
        rows.append(
            New(
                kind="signal" if about else "signals.import",
                recipient_id=n.user_id,
                text=n.text,
                url=reverse("signals:detail", args=[about.pk]) if about else "",
                subject_type="signals.signal" if about else "",
                subject_id=about.pk if about else None,
                subject_label=about.number if about else "",
                created_at=n.created_at,
                read_at=n.read_at,
            )
        )
    New.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0006_notification"),
        ("signals", "0010_signaltask_on_core_deadline_base"),
    ]

    operations = [
        migrations.RunPython(copy_to_access, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
