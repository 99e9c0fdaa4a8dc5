"""`ledger_post` takes the purposes that may not go below zero as its last argument
(`p_non_negative`, from payouts.models.ledger.NON_NEGATIVE, which the CHECK constraint on
accounts uses too), so the rule is written once, in Python. Otherwise it does what the
version of 0006 did; that version is dropped."""

import importlib

from django.db import migrations

PREVIOUS = importlib.import_module("payouts.migrations.0006_ledger_post")

ARGUMENTS = """p_key text, p_kind text, p_reference text, p_currency text, p_codes text[],
    p_purposes text[], p_amounts bigint[], p_memo text, p_actor bigint, p_now timestamptz,
    p_non_negative text[]"""

ANSWER = """OUT outcome text, OUT id bigint, OUT idempotency_key text, OUT kind text,
    OUT memo text, OUT reference text, OUT created_by_id bigint, OUT created_at timestamptz,
    OUT refused_code text, OUT refused_have text, OUT refused_want text"""

DECLARATIONS = """
#variable_conflict use_column
DECLARE
    ids bigint[];
    codes text[];
    purposes text[];
    currencies text[];
    balances bigint[];
    running bigint[];
    j int;
    new_id bigint;"""

# Steps 2 and 3: set `outcome` to missing, mismatch, insufficient (writing nothing) or
# created.
STEPS = """
    <<steps>>
    BEGIN
        SELECT array_agg(a.id), array_agg(a.code), array_agg(a.purpose),
               array_agg(a.currency), array_agg(a.balance)
          INTO ids, codes, purposes, currencies, balances
          FROM (SELECT a.id, a.code, a.purpose, a.currency, a.balance FROM payouts_account a
                 WHERE a.code = ANY (p_codes) ORDER BY a.id FOR UPDATE) a;
        FOR i IN 1 .. cardinality(p_codes) LOOP
            IF array_position(codes, p_codes[i]) IS NULL THEN
                outcome := 'missing';
                EXIT steps;
            END IF;
        END LOOP;
        FOR i IN 1 .. cardinality(p_codes) LOOP
            j := array_position(codes, p_codes[i]);
            IF currencies[j] <> p_currency OR purposes[j] <> p_purposes[i] THEN
                outcome := 'mismatch';
                refused_code := p_codes[i];
                refused_have := currencies[j];
                refused_want := p_currency;
                EXIT steps;
            END IF;
        END LOOP;
        running := balances;
        FOR i IN 1 .. cardinality(p_codes) LOOP
            j := array_position(codes, p_codes[i]);
            running[j] := running[j] + p_amounts[i];
            IF purposes[j] = ANY (p_non_negative) AND running[j] < 0 THEN
                outcome := 'insufficient';
                refused_code := p_codes[i];
                refused_have := balances[j]::text;
                refused_want := (balances[j] - running[j])::text;
                EXIT steps;
            END IF;
        END LOOP;
        new_id := nextval('payouts_entry_id_seq');
        INSERT INTO payouts_leg (entry_id, account_id, amount, currency)
            SELECT new_id, ids[array_position(codes, l.code)], l.amount, p_currency
              FROM unnest(p_codes, p_amounts) WITH ORDINALITY AS l(code, amount, n)
             ORDER BY l.n;
        INSERT INTO payouts_entry (id, idempotency_key, kind, memo, reference, created_by_id,
                                   created_at)
            VALUES (new_id, p_key, p_kind, p_memo, p_reference, p_actor, p_now);
        outcome := 'created';
        id := new_id;
        idempotency_key := p_key;
        kind := p_kind;
        memo := p_memo;
        reference := p_reference;
        created_by_id := p_actor;
        created_at := p_now;
    END steps;"""

CALL = """(p_key, p_kind, p_reference, p_currency, p_codes, p_purposes, p_amounts, p_memo,
            p_actor, p_now, p_non_negative)"""

NEW_ACCOUNTS = f"""
CREATE OR REPLACE FUNCTION ledger_post_new_accounts({ARGUMENTS}, {ANSWER})
LANGUAGE plpgsql AS $$ {DECLARATIONS}
BEGIN
    BEGIN
        INSERT INTO payouts_account (code, purpose, currency, balance, created_at)
            SELECT DISTINCT ON (l.code) l.code, l.purpose, p_currency, 0, p_now
              FROM unnest(p_codes, p_purposes) WITH ORDINALITY AS l(code, purpose, n)
             ORDER BY l.code, l.n
            ON CONFLICT (code) DO NOTHING;
        {STEPS}
        IF outcome <> 'created' THEN
            RAISE EXCEPTION 'ledger_post refused: %', outcome USING ERRCODE = 'LDG01';
        END IF;
    EXCEPTION WHEN SQLSTATE 'LDG01' THEN
        NULL;  -- the accounts created above are undone; the answer says why
    END;
END $$
"""

POST = f"""
CREATE OR REPLACE FUNCTION ledger_post({ARGUMENTS}, {ANSWER})
LANGUAGE plpgsql AS $$ {DECLARATIONS}
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('payouts_entry:' || p_key, 0));
    SELECT 'existing', e.id, e.idempotency_key, e.kind, e.memo, e.reference,
           e.created_by_id, e.created_at
      INTO outcome, id, idempotency_key, kind, memo, reference, created_by_id, created_at
      FROM payouts_entry e WHERE e.idempotency_key = p_key;
    IF FOUND THEN
        RETURN;
    END IF;
    {STEPS}
    IF outcome = 'missing' THEN
        SELECT * INTO outcome, id, idempotency_key, kind, memo, reference, created_by_id,
                      created_at, refused_code, refused_have, refused_want
          FROM ledger_post_new_accounts{CALL};
    END IF;
END $$
"""

SIGNATURE = "(text, text, text, text, text[], text[], bigint[], text, bigint, timestamptz, text[])"
NAMES = ("ledger_post", "ledger_post_new_accounts")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in NAMES:
            schema_editor.execute(
                f"DROP FUNCTION IF EXISTS {name}{PREVIOUS.SIGNATURE}", params=None
            )
        schema_editor.execute(NEW_ACCOUNTS, params=None)
        schema_editor.execute(POST, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in NAMES:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}{SIGNATURE}", params=None)
    PREVIOUS.forward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("payouts", "0007_entry_indexes")]
    operations = [migrations.RunPython(forward, backward)]
