"""Ledger rules below the ORM, on PostgreSQL: entries and legs are append-only, and an
entry whose legs do not sum to zero per currency (or whose leg currency differs from its
account's) is refused when the transaction commits."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION payouts_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER payouts_entry_append_only BEFORE UPDATE OR DELETE ON payouts_entry
    FOR EACH ROW EXECUTE FUNCTION payouts_refuse_change();
CREATE TRIGGER payouts_leg_append_only BEFORE UPDATE OR DELETE ON payouts_leg
    FOR EACH ROW EXECUTE FUNCTION payouts_refuse_change();

CREATE OR REPLACE FUNCTION payouts_check_entry() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM payouts_leg WHERE entry_id = NEW.entry_id
               GROUP BY currency HAVING SUM(amount) <> 0) THEN
        RAISE EXCEPTION 'ledger entry % is not balanced', NEW.entry_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM payouts_leg l JOIN payouts_account a ON a.id = l.account_id
               WHERE l.entry_id = NEW.entry_id AND l.currency <> a.currency) THEN
        RAISE EXCEPTION 'ledger entry % has a leg in a currency its account does not hold', NEW.entry_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER payouts_leg_balanced AFTER INSERT ON payouts_leg
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION payouts_check_entry();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS payouts_leg_balanced ON payouts_leg;
DROP TRIGGER IF EXISTS payouts_leg_append_only ON payouts_leg;
DROP TRIGGER IF EXISTS payouts_entry_append_only ON payouts_entry;
DROP FUNCTION IF EXISTS payouts_check_entry();
DROP FUNCTION IF EXISTS payouts_refuse_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("payouts", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
