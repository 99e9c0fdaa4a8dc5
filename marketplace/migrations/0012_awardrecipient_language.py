"""The language a winner acted in on their award, which their certificate follows. A
winner who signed a deed before this was recorded signed it in its language (English):
their certificate follows that deed."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_deeds(apps, schema_editor):
    recipients = apps.get_model("marketplace", "AwardRecipient").objects
    deeds = apps.get_model("legal", "Deed").objects.filter(pk=OuterRef("deed_id"))
    recipients.filter(deed__isnull=False, language="").update(
        language=Subquery(deeds.values("language")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0006_db_guards"),
        ("marketplace", "0011_judge_invitations"),
    ]

    operations = [
        migrations.AddField(
            model_name="awardrecipient",
            name="language",
            field=models.CharField(
                blank=True,
                help_text=(
                    "The language this person was reading in when they last acted on the "
                    "award (accepting it, signing the deed): their certificate is issued in it."
                ),
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.RunPython(from_deeds, migrations.RunPython.noop),
    ]
