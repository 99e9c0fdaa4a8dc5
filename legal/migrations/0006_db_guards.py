"""The guards of `dbguards` for legal, on SQLite and PostgreSQL: templates, acceptances,
deeds and void marks are append-only; certificates keep their issued facts. They replace
the PostgreSQL-only triggers of 0002 and 0004."""

import importlib

from django.db import migrations

import dbguards

TEMPLATES_AND_ACCEPTANCES = importlib.import_module("legal.migrations.0002_append_only")
DEEDS = importlib.import_module("legal.migrations.0004_deed_append_only")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DEEDS.DROP_GUARD, params=None)
        schema_editor.execute(TEMPLATES_AND_ACCEPTANCES.DROP_GUARDS, params=None)
    dbguards.install(schema_editor.connection, "legal")


def backward(apps, schema_editor):
    dbguards.remove(schema_editor.connection, "legal")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TEMPLATES_AND_ACCEPTANCES.GUARDS, params=None)
        schema_editor.execute(DEEDS.GUARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("legal", "0005_deedvoid")]
    operations = [migrations.RunPython(forward, backward)]
