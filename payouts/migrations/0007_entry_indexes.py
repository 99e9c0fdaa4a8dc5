"""Entries keep the indexes something reads (the unique idempotency key, kind,
reference, created_at, created_by) and lose the three `_like` copies PostgreSQL made of
the first three for LIKE 'x%', which nothing runs: every lookup of them is exact. The
key's uniqueness and the two indexes move to the model's Meta, where Django makes no
such copies.

On SQLite, changing a unique constraint rebuilds the table, and the copy has no
triggers: the payouts guards are dropped first and installed again at the end
(`dbguards`), in the same transaction."""

from django.db import migrations, models

import dbguards


def guards_off(apps, schema_editor):
    dbguards.remove(schema_editor.connection, "payouts")


def guards_on(apps, schema_editor):
    dbguards.install(schema_editor.connection, "payouts")


class Migration(migrations.Migration):
    dependencies = [("payouts", "0006_ledger_post")]

    operations = [
        migrations.RunPython(guards_off, guards_on),
        migrations.AlterField(
            model_name="entry",
            name="idempotency_key",
            field=models.CharField(max_length=200, verbose_name="idempotency key"),
        ),
        migrations.AlterField(
            model_name="entry",
            name="kind",
            field=models.CharField(max_length=20, verbose_name="kind"),
        ),
        migrations.AlterField(
            model_name="entry",
            name="reference",
            field=models.CharField(
                help_text="Opaque reference of the business subject, e.g. challenge:12.",
                max_length=100,
                verbose_name="reference",
            ),
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(fields=["kind"], name="entry_kind_idx"),
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(fields=["reference"], name="entry_reference_idx"),
        ),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.UniqueConstraint(
                fields=("idempotency_key",), name="entry_idempotency_key_unique"
            ),
        ),
        migrations.RunPython(guards_on, guards_off),
    ]
