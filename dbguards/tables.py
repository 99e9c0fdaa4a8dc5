"""Every guard below the ORM, per app: what the database itself refuses, on SQLite and
on PostgreSQL alike, whatever client writes to it.

The ledger (payouts_entry, payouts_leg, payouts_account)
  - Entries and legs are append-only.
  - An entry closes when its row is inserted: its legs are inserted first, under an id
    reserved for it (`payouts.services.ledger.entry_post`), and the entry row is refused
    unless it then has at least two legs, summing to zero per currency, each in its
    account's currency. A leg whose entry row already exists is refused, so a committed
    entry never gains a leg. On PostgreSQL a leg must also belong to the entry id the
    same session reserved last (currval), so no other session can slip legs into an
    entry that is being posted but not yet visible to it.
  - A cached balance moves only with a new leg: inserting a leg adds its amount to its
    account's balance (a trigger; nothing else writes balances), and any other change
    of a balance is refused. PostgreSQL tells the leg trigger's UPDATE apart by
    pg_trigger_depth(). SQLite has no such marker; there the change must equal the
    amount of the leg this connection inserted last (last_insert_rowid(), which inside
    a trigger is the row that fired it), on this account, and that leg's entry row must
    not exist yet (an entry closes after its legs). So a balance cannot be edited after
    a posting, not even by the amount of a real leg; both checks are O(1).
  - An account's code, purpose and currency never change. The CHECK constraint keeping
    escrow, funding and payable balances non-negative stays.

Legal records: agreement templates, acceptances, deeds and their void marks are
append-only. A certificate's issued facts never change and it is never deleted; only
its PDF (pdf, pdf_sha256, generated_at), its number (once, from blank) and its
revocation (revoked_at with revoked_reason, once) are filled in.

Money records: payments and payouts are never deleted, and what they are about and for
how much (subject, reference, payee, amount, currency, gateway, key, ...) never changes.
A succeeded payment stays succeeded. A payout's state moves only along the services'
paths: pending to succeeded, failed or cancelled; failed to pending (a retry, which may
change the destination to the payee's account on file), succeeded or cancelled;
succeeded to reversed. Cancelled and reversed are final.

Marketplace records: submission versions (receipts) are append-only; challenge events
are never deleted and never change, except that the mail sender marks one mailed
(`details.mailed` set to true, nothing else). Billing documents (pro-forma invoices,
receipts, credit notes) and the history of entries' review statuses are append-only.

TRUNCATE is refused on every table above except accounts (PostgreSQL only: SQLite has
no TRUNCATE, and its DELETE without WHERE fires the DELETE triggers).
"""

from dbguards.guard import Guard, append_only, changed, kept

LEDGER = [
    *append_only("payouts_entry"),
    *append_only("payouts_leg"),
    Guard(
        "payouts_leg",
        "payouts_leg_entry_open",
        "INSERT",
        "payouts_entry is closed: legs are inserted before their entry, never after",
        refuse="EXISTS (SELECT 1 FROM payouts_entry WHERE id = NEW.entry_id)",
    ),
    Guard(
        "payouts_leg",
        "payouts_leg_entry_reserved",
        "INSERT",
        "payouts_leg joins only the entry id this session reserved last",
        refuse={
            "postgresql": "NEW.entry_id <> currval(pg_get_serial_sequence('payouts_entry', 'id'))"
        },
    ),
    Guard(
        "payouts_leg",
        "payouts_leg_moves_balance",
        "INSERT",
        timing="AFTER",
        action="UPDATE payouts_account SET balance = balance + NEW.amount WHERE id = NEW.account_id",
    ),
    Guard(
        "payouts_entry",
        "payouts_entry_has_legs",
        "INSERT",
        "payouts_entry needs at least two legs, inserted before it",
        refuse="(SELECT count(*) FROM payouts_leg WHERE entry_id = NEW.id) < 2",
        timing="AFTER",
    ),
    Guard(
        "payouts_entry",
        "payouts_entry_balanced",
        "INSERT",
        "payouts_entry is not balanced: its legs must sum to zero per currency",
        refuse="EXISTS (SELECT 1 FROM payouts_leg WHERE entry_id = NEW.id"
        " GROUP BY currency HAVING SUM(amount) <> 0)",
        timing="AFTER",
    ),
    Guard(
        "payouts_entry",
        "payouts_entry_leg_currency",
        "INSERT",
        "payouts_entry has a leg in a currency its account does not hold",
        refuse="EXISTS (SELECT 1 FROM payouts_leg l JOIN payouts_account a ON a.id = l.account_id"
        " WHERE l.entry_id = NEW.id AND l.currency <> a.currency)",
        timing="AFTER",
    ),
    Guard(
        "payouts_account",
        "payouts_account_balance_by_legs",
        "UPDATE",
        "payouts_account.balance moves only when a leg is posted",
        refuse={
            "postgresql": "NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2",
            "sqlite": "NEW.balance IS NOT OLD.balance AND NOT EXISTS ("
            "SELECT 1 FROM payouts_leg l WHERE l.id = last_insert_rowid()"
            " AND l.account_id = NEW.id AND l.amount = NEW.balance - OLD.balance"
            " AND NOT EXISTS (SELECT 1 FROM payouts_entry e WHERE e.id = l.entry_id))",
        },
    ),
    Guard(
        "payouts_account",
        "payouts_account_fixed",
        "UPDATE",
        "payouts_account code, purpose and currency never change",
        refuse=changed("id", "code", "purpose", "currency", "created_at"),
    ),
]

PAYMENTS = [
    *kept("payouts_payment"),
    Guard(
        "payouts_payment",
        "payouts_payment_facts",
        "UPDATE",
        "payouts_payment: what was paid, by whom and through which gateway never changes",
        refuse=changed(
            "id",
            "subject",
            "gateway",
            "amount",
            "currency",
            "idempotency_key",
            "test_money",
            "created_by_id",
            "created_at",
        ),
    ),
    Guard(
        "payouts_payment",
        "payouts_payment_succeeded_final",
        "UPDATE",
        "payouts_payment: a succeeded payment stays succeeded",
        refuse="OLD.state = 'succeeded' AND NEW.state <> 'succeeded'",
    ),
    *kept("payouts_payout"),
    Guard(
        "payouts_payout",
        "payouts_payout_facts",
        "UPDATE",
        "payouts_payout: whom, what for and how much never changes",
        refuse=changed(
            "id",
            "subject",
            "reference",
            "payee_id",
            "amount",
            "currency",
            "gateway",
            "transfer_group",
            "key",
            "test_money",
            "created_at",
        ),
    ),
    Guard(
        "payouts_payout",
        "payouts_payout_destination",
        "UPDATE",
        "payouts_payout: the destination changes only when a failed payout is retried",
        refuse="NEW.destination <> OLD.destination"
        " AND NOT (OLD.state = 'failed' AND NEW.state = 'pending')",
    ),
    Guard(
        "payouts_payout",
        "payouts_payout_state_path",
        "UPDATE",
        "payouts_payout: this state change is not allowed",
        refuse="NEW.state <> OLD.state AND NOT ("
        "(OLD.state = 'pending' AND NEW.state IN ('succeeded', 'failed', 'cancelled'))"
        " OR (OLD.state = 'failed' AND NEW.state IN ('pending', 'succeeded', 'cancelled'))"
        " OR (OLD.state = 'succeeded' AND NEW.state = 'reversed'))",
    ),
]

LEGAL = [
    *append_only("legal_agreementtemplate"),
    *append_only("legal_acceptance"),
    *append_only("legal_deed"),
    *append_only("legal_deedvoid"),
    *kept("legal_certificate"),
    Guard(
        "legal_certificate",
        "legal_certificate_facts",
        "UPDATE",
        "legal_certificate: what a certificate recognises never changes",
        refuse=changed(
            "id",
            "uuid",
            "reference",
            "recipient_id",
            "recipient_name",
            "team_name",
            "challenge_title",
            "organization_name",
            "amount",
            "currency",
            "awarded_on",
            "language",
            "created_at",
        ),
    ),
    Guard(
        "legal_certificate",
        "legal_certificate_number_once",
        "UPDATE",
        "legal_certificate: a number is given once",
        refuse="OLD.number <> '' AND NEW.number <> OLD.number",
    ),
    Guard(
        "legal_certificate",
        "legal_certificate_revoked_once",
        "UPDATE",
        "legal_certificate: a revocation is recorded once, with its reason",
        refuse=f"{changed('revoked_at', 'revoked_reason')}"
        " AND NOT (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)",
    ),
]

EVENT_FACTS = (
    "id",
    "challenge_id",
    "actor_id",
    "name",
    "from_state",
    "to_state",
    "reason",
    "created_at",
)

MARKETPLACE = [
    *append_only("marketplace_submissionversion"),
    *kept("marketplace_challengeevent"),
    Guard(
        "marketplace_challengeevent",
        "marketplace_challengeevent_fixed",
        "UPDATE",
        "marketplace_challengeevent is append-only: only its mailed mark may be set",
        refuse={
            "postgresql": f"{changed(*EVENT_FACTS)} OR (NEW.details - 'mailed') IS DISTINCT FROM (OLD.details - 'mailed')"
            " OR NEW.details -> 'mailed' IS DISTINCT FROM 'true'::jsonb",
            "sqlite": f"{changed(*EVENT_FACTS)} OR json_remove(NEW.details, '$.mailed') IS NOT json_remove(OLD.details, '$.mailed')"
            " OR json_extract(NEW.details, '$.mailed') IS NOT 1",
        },
    ),
]

# A billing document never changes after issue. Installed by the migration that creates
# its table (the marketplace's earlier guard migration installs the list above).
BILLING = append_only("marketplace_billingdocument")
# The history of an entry's review status. Installed by the migration that creates it.
REVIEWS = append_only("marketplace_submissionreview")

GUARDS = {
    "payouts": LEDGER + PAYMENTS,
    "legal": LEGAL,
    "marketplace": MARKETPLACE,
    "marketplace.billing": BILLING,
    "marketplace.reviews": REVIEWS,
}
