"""On PostgreSQL, triggers make agreement templates and acceptances append-only."""

from django.db import migrations

GUARDS = """
CREATE OR REPLACE FUNCTION legal_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'legal records are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER legal_template_append_only BEFORE UPDATE OR DELETE ON legal_agreementtemplate
    FOR EACH ROW EXECUTE FUNCTION legal_refuse_change();
CREATE TRIGGER legal_acceptance_append_only BEFORE UPDATE OR DELETE ON legal_acceptance
    FOR EACH ROW EXECUTE FUNCTION legal_refuse_change();
"""
DROP_GUARDS = """
DROP TRIGGER IF EXISTS legal_acceptance_append_only ON legal_acceptance;
DROP TRIGGER IF EXISTS legal_template_append_only ON legal_agreementtemplate;
DROP FUNCTION IF EXISTS legal_refuse_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARDS, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_GUARDS, params=None)


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
