"""When an organisation's invitation was last sent, and how often: a pending invitation
to the same address is renewed rather than duplicated, and an organisation's sends in a
day are counted. Invitations made before this were sent once, when they were made."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def sent_when_made(apps, schema_editor):
    apps.get_model("marketplace", "Invitation").objects.update(sent_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0012_awardrecipient_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="sent_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="sent"),
        ),
        migrations.AddField(
            model_name="invitation",
            name="times_sent",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.RunPython(sent_when_made, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(fields=["organization", "sent_at"], name="invitation_org_sent"),
        ),
    ]
