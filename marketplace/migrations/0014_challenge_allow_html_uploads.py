"""Whether a challenge accepts HTML and SVG files in its submissions and attachments
(refused by default: they can run script when opened)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0013_invitation_renewals"),
    ]

    operations = [
        migrations.AddField(
            model_name="challenge",
            name="allow_html_uploads",
            field=models.BooleanField(default=False, verbose_name="accept HTML and SVG files"),
        ),
    ]
