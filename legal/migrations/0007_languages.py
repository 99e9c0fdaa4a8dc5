"""Agreement texts in more than one language: each language of a template version is its
own row (its own text and SHA-256), and an acceptance records the language of the text
accepted. Every row written before this was English.

On SQLite, adding a NOT NULL column and changing a unique constraint rebuild the table,
and the copy has no triggers: the legal guards are dropped first and installed again at
the end (`dbguards`), in the same transaction."""

from django.db import migrations, models

import dbguards


def guards_off(apps, schema_editor):
    dbguards.remove(schema_editor.connection, "legal")


def guards_on(apps, schema_editor):
    dbguards.install(schema_editor.connection, "legal")


class Migration(migrations.Migration):
    dependencies = [("legal", "0006_db_guards")]

    operations = [
        migrations.RunPython(guards_off, guards_on),
        migrations.AddField(
            model_name="agreementtemplate",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("es", "Spanish")],
                default="en",
                help_text="The language of this text. Each language of a version is its own row.",
                max_length=10,
                verbose_name="language",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="acceptance",
            name="language",
            field=models.CharField(
                default="en",
                help_text="The language of the text accepted: its template's.",
                max_length=10,
                verbose_name="language",
            ),
            preserve_default=False,
        ),
        migrations.RemoveConstraint(
            model_name="agreementtemplate",
            name="agreement_version_once",
        ),
        migrations.AddConstraint(
            model_name="agreementtemplate",
            constraint=models.UniqueConstraint(
                fields=("kind", "variant", "version", "language"),
                name="agreement_version_language_once",
            ),
        ),
        migrations.AlterModelOptions(
            name="agreementtemplate",
            options={
                "ordering": ["kind", "variant", "-version", "language"],
                "verbose_name": "agreement template",
                "verbose_name_plural": "agreement templates",
            },
        ),
        migrations.RunPython(guards_on, guards_off),
    ]
