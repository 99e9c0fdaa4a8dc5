"""`ledger_post`, PostgreSQL only: one posting in one statement, so `entry_post` costs
one round trip there. It does what the ORM path of `payouts.services.ledger.entry_post`
does, in the same order, and answers a refusal instead of raising it, so a refusal
writes nothing and leaves the caller's transaction usable.

  1. Takes a transaction-level advisory lock on the idempotency key, then returns the
     entry already posted under it, if any ("existing"). Under READ COMMITTED the
     lookup after the lock sees whatever an earlier holder committed, so two posts of
     one key never both insert (the unique key stays the last word).
  2. Locks the entry's accounts by code in id order and checks them leg by leg in order:
     purpose and currency ("mismatch"), then the running balance of escrow, funding and
     payable ("insufficient": the account's balance and what it would pay out).
  3. Reserves the entry id, inserts the legs under it (the leg trigger moves the cached
     balances) and then the entry row, which the guards of dbguards check and close.

Missing accounts are created (INSERT ... ON CONFLICT (code) DO NOTHING) and step 2 is
done again inside a block that undoes them if the posting is then refused.
The purposes that may not go below zero are those of payouts.models.ledger.NON_NEGATIVE.
"""

from django.db import migrations

LOCKED = """
CREATE OR REPLACE FUNCTION ledger_post_locked(
    p_key text, p_kind text, p_reference text, p_currency text, p_codes text[],
    p_purposes text[], p_amounts bigint[], p_memo text, p_actor bigint, p_now timestamptz,
    OUT r_outcome text, OUT r_id bigint, OUT r_code text, OUT r_have text, OUT r_want text
) LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
    codes text[];
    purposes text[];
    currencies text[];
    balances bigint[];
    running bigint[];
    j int;
BEGIN
    SELECT array_agg(a.id ORDER BY a.id), array_agg(a.code ORDER BY a.id),
           array_agg(a.purpose ORDER BY a.id), array_agg(a.currency ORDER BY a.id),
           array_agg(a.balance ORDER BY a.id)
      INTO ids, codes, purposes, currencies, balances
      FROM (SELECT id, code, purpose, currency, balance FROM payouts_account
             WHERE code = ANY (p_codes) ORDER BY id FOR UPDATE) a;
    FOR i IN 1 .. cardinality(p_codes) LOOP
        IF array_position(codes, p_codes[i]) IS NULL THEN
            r_outcome := 'missing';
            RETURN;
        END IF;
    END LOOP;
    FOR i IN 1 .. cardinality(p_codes) LOOP
        j := array_position(codes, p_codes[i]);
        IF currencies[j] <> p_currency OR purposes[j] <> p_purposes[i] THEN
            r_outcome := 'mismatch';
            r_code := p_codes[i];
            r_have := currencies[j];
            r_want := p_currency;
            RETURN;
        END IF;
    END LOOP;
    running := balances;
    FOR i IN 1 .. cardinality(p_codes) LOOP
        j := array_position(codes, p_codes[i]);
        running[j] := running[j] + p_amounts[i];
        IF purposes[j] IN ('escrow', 'payable', 'funding') AND running[j] < 0 THEN
            r_outcome := 'insufficient';
            r_code := p_codes[i];
            r_have := balances[j]::text;
            r_want := (balances[j] - running[j])::text;
            RETURN;
        END IF;
    END LOOP;
    r_id := nextval(pg_get_serial_sequence('payouts_entry', 'id'));
    INSERT INTO payouts_leg (entry_id, account_id, amount, currency)
        SELECT r_id, ids[array_position(codes, l.code)], l.amount, p_currency
          FROM unnest(p_codes, p_amounts) WITH ORDINALITY AS l(code, amount, n)
         ORDER BY l.n;
    INSERT INTO payouts_entry (id, idempotency_key, kind, memo, reference, created_by_id,
                               created_at)
        VALUES (r_id, p_key, p_kind, p_memo, p_reference, p_actor, p_now);
    r_outcome := 'created';
END $$
"""

POST = """
CREATE OR REPLACE FUNCTION ledger_post(
    p_key text, p_kind text, p_reference text, p_currency text, p_codes text[],
    p_purposes text[], p_amounts bigint[], p_memo text, p_actor bigint, p_now timestamptz
) RETURNS TABLE (
    outcome text, id bigint, idempotency_key text, kind text, memo text, reference text,
    created_by_id bigint, created_at timestamptz,
    refused_code text, refused_have text, refused_want text
) LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('payouts_entry:' || p_key, 0));
    RETURN QUERY
        SELECT 'existing'::text, e.id, e.idempotency_key::text, e.kind::text, e.memo::text,
               e.reference::text, e.created_by_id, e.created_at, NULL::text, NULL::text,
               NULL::text
          FROM payouts_entry e WHERE e.idempotency_key = p_key;
    IF FOUND THEN
        RETURN;
    END IF;
    SELECT * INTO r FROM ledger_post_locked(p_key, p_kind, p_reference, p_currency, p_codes,
                                            p_purposes, p_amounts, p_memo, p_actor, p_now);
    IF r.r_outcome = 'missing' THEN
        BEGIN
            INSERT INTO payouts_account (code, purpose, currency, balance, created_at)
                SELECT DISTINCT ON (l.code) l.code, l.purpose, p_currency, 0, p_now
                  FROM unnest(p_codes, p_purposes) WITH ORDINALITY AS l(code, purpose, n)
                 ORDER BY l.code, l.n
                ON CONFLICT (code) DO NOTHING;
            SELECT * INTO r FROM ledger_post_locked(p_key, p_kind, p_reference, p_currency,
                                                    p_codes, p_purposes, p_amounts, p_memo,
                                                    p_actor, p_now);
            IF r.r_outcome <> 'created' THEN
                RAISE EXCEPTION 'ledger_post refused: %', r.r_outcome USING ERRCODE = 'LDG01';
            END IF;
        EXCEPTION WHEN SQLSTATE 'LDG01' THEN
            NULL;  -- the accounts created above are undone; r says why
        END;
    END IF;
    IF r.r_outcome = 'created' THEN
        RETURN QUERY SELECT 'created'::text, r.r_id, p_key, p_kind, p_memo, p_reference,
                            p_actor, p_now, NULL::text, NULL::text, NULL::text;
    ELSE
        RETURN QUERY SELECT r.r_outcome, NULL::bigint, NULL::text, NULL::text, NULL::text,
                            NULL::text, NULL::bigint, NULL::timestamptz, r.r_code, r.r_have,
                            r.r_want;
    END IF;
END $$
"""

SIGNATURE = "(text, text, text, text, text[], text[], bigint[], text, bigint, timestamptz)"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LOCKED, params=None)
        schema_editor.execute(POST, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS ledger_post{SIGNATURE}", params=None)
        schema_editor.execute(
            f"DROP FUNCTION IF EXISTS ledger_post_locked{SIGNATURE}", params=None
        )


class Migration(migrations.Migration):
    dependencies = [("payouts", "0005_payout_account_state")]
    operations = [migrations.RunPython(forward, backward)]
