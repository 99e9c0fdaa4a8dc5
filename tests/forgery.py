"""Forged history for the audit's tests: raw SQL, run with the database's guards off as
only a client going around them could, then audited, then rolled back, so the test's
own transaction (and the guards) end as they began."""

from django.db import connection, transaction

from payouts.audit import run_audit
from tests.db_guards import guards_off

Statement = tuple[str, list]


def sql(text: str, *params) -> Statement:
    return text, list(params)


def audit_forged(*statements: Statement) -> list[str]:
    """The audit's breaches with `statements` applied; nothing of them is kept."""
    with transaction.atomic():
        with guards_off(), connection.cursor() as cursor:
            for text, params in statements:
                cursor.execute(text, params)
        breaches = run_audit().breaches
        transaction.set_rollback(True)
    return breaches


def leg_added(key: str, code: str, amount: int) -> list[Statement]:
    """A leg of `amount` on account `code` added to entry `key`, and the account's
    cached balance edited to match."""
    return [
        sql(
            "INSERT INTO payouts_leg (entry_id, account_id, amount, currency)"
            " SELECT e.id, a.id, %s, a.currency FROM payouts_entry e, payouts_account a"
            " WHERE e.idempotency_key = %s AND a.code = %s",
            amount,
            key,
            code,
        ),
        sql("UPDATE payouts_account SET balance = balance + %s WHERE code = %s", amount, code),
    ]


def leg_changed(key: str, code: str, by: int) -> list[Statement]:
    """Entry `key`'s leg on account `code` changed by `by`, the balance edited to match."""
    return [
        sql(
            "UPDATE payouts_leg SET amount = amount + %s"
            " WHERE entry_id = (SELECT id FROM payouts_entry WHERE idempotency_key = %s)"
            " AND account_id = (SELECT id FROM payouts_account WHERE code = %s)",
            by,
            key,
            code,
        ),
        sql("UPDATE payouts_account SET balance = balance + %s WHERE code = %s", by, code),
    ]
