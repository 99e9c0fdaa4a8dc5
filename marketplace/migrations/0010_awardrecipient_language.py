from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0009_organisations_and_teams")]

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
    ]
