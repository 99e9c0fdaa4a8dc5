"""Posting to the ledger. `entry_post` is the only writer of entries and legs; the legs
move the cached balances (a database trigger, see `dbguards.tables`). On PostgreSQL a
posting is one call of the database function `ledger_post` (migrations 0006 and 0008),
one round trip; on SQLite it is the ORM path below, which does the same steps."""

from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payouts.currency import check_currency
from payouts.models import Account, Entry, Leg
from payouts.models.ledger import NON_NEGATIVE


class LedgerError(Exception):
    """An entry that breaks a ledger rule; nothing was posted."""

    code = "ledger_error"


class InsufficientFunds(LedgerError):
    code = "insufficient_funds"


@dataclass(frozen=True)
class LegSpec:
    account: tuple[str, str]  # (code, purpose)
    amount: int  # minor units: + credits the account, - debits it


def _validate(legs: list[LegSpec], currency: str) -> None:
    check_currency(currency)
    if len(legs) < 2:
        raise LedgerError(_("An entry needs at least two legs."))
    for leg in legs:
        if not isinstance(leg.amount, int) or isinstance(leg.amount, bool) or leg.amount == 0:
            raise LedgerError(_("Every leg is a non-zero whole number of minor units."))
    if sum(leg.amount for leg in legs) != 0:
        raise LedgerError(_("The legs of an entry must add up to zero."))


def _mismatch(code: str, held: str, wanted: str) -> LedgerError:
    return LedgerError(
        _("Account %(code)s holds %(cur)s, not %(want)s.")
        % {"code": code, "cur": held, "want": wanted}
    )


def _insufficient(code: str, balance: int, amount: int) -> InsufficientFunds:
    return InsufficientFunds(
        _("%(code)s holds %(bal)s; it cannot pay out %(amt)s.")
        % {"code": code, "bal": balance, "amt": amount}
    )


def _account(code: str, purpose: str, currency: str) -> Account:
    account, _created = Account.objects.get_or_create(
        code=code, defaults={"purpose": purpose, "currency": currency}
    )
    if account.currency != currency or account.purpose != purpose:
        raise _mismatch(code, account.currency, currency)
    return account


def entry_id_reserve() -> int:
    """The id the next entry will have. Its legs are inserted under it before the entry
    row itself, which the database checks for balance and then closes."""
    if connection.vendor == "postgresql":
        sql = "SELECT nextval(pg_get_serial_sequence('payouts_entry', 'id'))"
    else:  # SQLite: one writer at a time, and entries are never deleted
        sql = "SELECT COALESCE(MAX(id), 0) + 1 FROM payouts_entry"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def _check_funds(legs: list[LegSpec], locked: dict[str, Account]) -> None:
    """Refuse a posting that would take escrow, funding or payable below zero, leg by
    leg in order as the database applies them."""
    balances = {code: account.balance for code, account in locked.items()}
    for leg in legs:
        code = leg.account[0]
        balances[code] += leg.amount
        if locked[code].purpose in NON_NEGATIVE and balances[code] < 0:
            raise _insufficient(code, locked[code].balance, locked[code].balance - balances[code])


# The columns `ledger_post` answers: what happened, the entry (created or found under
# the key, in the model's field order) and, for a refusal, the account and two figures.
POST_SQL = (
    "SELECT * FROM ledger_post(%s, %s, %s, %s, %s::text[], %s::text[], %s::bigint[], %s,"
    " %s::bigint, %s, %s::text[])"
)


def _array(items) -> str:
    """A PostgreSQL array literal of `items` as text, each element quoted: psycopg sends
    one string much more cheaply than it adapts a list."""
    quoted = (str(item).replace("\\", "\\\\").replace('"', '\\"') for item in items)
    return "{" + ",".join(f'"{item}"' for item in quoted) + "}"


# `ledger_post`'s last argument: the purposes it keeps from going below zero.
NON_NEGATIVE_ARRAY = _array(NON_NEGATIVE)


def _post_in_database(
    *, key: str, kind: str, reference: str, currency: str, legs: list[LegSpec], memo: str, actor
) -> tuple[Entry, bool]:
    """One call of `ledger_post` (PostgreSQL): the Entry is built from the row it
    answers, and a refusal it answers is raised as the ORM path raises it."""
    params = [
        key,
        kind,
        reference,
        currency,
        _array(leg.account[0] for leg in legs),
        _array(leg.account[1] for leg in legs),
        _array(leg.amount for leg in legs),
        memo,
        actor.pk if actor is not None else None,
        timezone.now(),
        NON_NEGATIVE_ARRAY,
    ]
    with connection.cursor() as cursor:
        cursor.execute(POST_SQL, params)
        outcome, *row, code, held, wanted = cursor.fetchone()
    if outcome == "mismatch":
        raise _mismatch(code, held, wanted)
    if outcome == "insufficient":
        raise _insufficient(code, int(held), int(wanted))
    return Entry.from_db(connection.alias, None, row), outcome == "created"


def entry_post(
    *,
    key: str,
    kind: str,
    reference: str,
    currency: str,
    legs: list[LegSpec],
    memo: str = "",
    actor=None,
) -> tuple[Entry, bool]:
    """Post one balanced entry; return (entry, created).

    Idempotent: a key already posted returns the first entry and posts nothing, also
    when two callers race (the unique key decides). Accounts are created on first use
    and locked in primary-key order before their cached balances move; an entry that
    would take escrow, funding or payable below zero raises InsufficientFunds.
    The legs go in first, under the entry's reserved id, then the entry row, which
    closes it (the database refuses later legs). Runs inside the caller's transaction
    (or its own); a refusal writes nothing and leaves that transaction usable.
    On PostgreSQL all of it is one call of `ledger_post` in the database.
    """
    _validate(legs, currency)
    post = _post_in_database if connection.vendor == "postgresql" else _post_with_orm
    return post(
        key=key,
        kind=kind,
        reference=reference,
        currency=currency,
        legs=legs,
        memo=memo,
        actor=actor,
    )


def _post_with_orm(
    *, key: str, kind: str, reference: str, currency: str, legs: list[LegSpec], memo: str, actor
) -> tuple[Entry, bool]:
    """The steps of `ledger_post` through the ORM (SQLite; on PostgreSQL the tests
    compare the two)."""
    with transaction.atomic():
        existing = Entry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, False
        ids = {leg.account[0]: _account(*leg.account, currency).pk for leg in legs}
        locked = {
            a.code: a
            for a in Account.objects.select_for_update().filter(pk__in=ids.values()).order_by("pk")
        }
        _check_funds(legs, locked)
        try:
            with transaction.atomic():
                entry_id = entry_id_reserve()
                Leg.objects.bulk_create(
                    Leg(
                        entry_id=entry_id,
                        account=locked[leg.account[0]],
                        amount=leg.amount,
                        currency=currency,
                    )
                    for leg in legs
                )
                entry = Entry.objects.create(
                    id=entry_id,
                    idempotency_key=key,
                    kind=kind,
                    reference=reference,
                    memo=memo,
                    created_by=actor,
                )
        except IntegrityError:
            first = Entry.objects.filter(idempotency_key=key).first()
            if first is None:
                raise
            return first, False  # a concurrent post of the same key committed first
    return entry, True


def transfer(source: tuple[str, str], target: tuple[str, str], amount: int) -> list[LegSpec]:
    """The two legs of "`amount` moves from source to target" (debit source, credit target)."""
    return [LegSpec(source, -amount), LegSpec(target, amount)]
