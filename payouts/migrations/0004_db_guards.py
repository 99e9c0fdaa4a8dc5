"""The guards of `dbguards` for payouts, on SQLite and PostgreSQL: entries close when
inserted after their legs, balances move only with legs, entries and legs are
append-only, payments and payouts keep their facts. They replace the PostgreSQL-only
triggers of 0002."""

import importlib

from django.db import migrations

import dbguards

LEGACY = importlib.import_module("payouts.migrations.0002_ledger_guards")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LEGACY.BACKWARD, params=None)
    dbguards.install(schema_editor.connection, "payouts")


def backward(apps, schema_editor):
    dbguards.remove(schema_editor.connection, "payouts")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LEGACY.FORWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("payouts", "0003_payouts_and_tax_forms")]
    operations = [migrations.RunPython(forward, backward)]
