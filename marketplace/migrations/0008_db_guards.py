"""The guards of `dbguards` for the marketplace, on SQLite and PostgreSQL: submission
versions are append-only; challenge events are kept and only ever marked mailed."""

from django.db import migrations

import dbguards


def forward(apps, schema_editor):
    dbguards.install(schema_editor.connection, "marketplace")


def backward(apps, schema_editor):
    dbguards.remove(schema_editor.connection, "marketplace")


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0007_award_dispute")]
    operations = [migrations.RunPython(forward, backward)]
