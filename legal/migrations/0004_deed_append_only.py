"""On PostgreSQL, a trigger makes signed deeds append-only, like acceptances (0002)."""

from django.db import migrations

GUARD = """
CREATE TRIGGER legal_deed_append_only BEFORE UPDATE OR DELETE ON legal_deed
    FOR EACH ROW EXECUTE FUNCTION legal_refuse_change();
"""
DROP_GUARD = "DROP TRIGGER IF EXISTS legal_deed_append_only ON legal_deed;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_GUARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("legal", "0003_deed_certificate")]
    operations = [migrations.RunPython(forward, backward)]
