"""The guards below the ORM on the ledger, payments and payouts, proven with raw SQL on
whichever database the suite runs (SQLite or PostgreSQL): what no service does is
refused by the database itself, and what the services do still goes through."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from payouts.accounts import clearing_account, subject_account
from payouts.models import Account, AccountPurpose, Entry, Leg, Payment, Payout, PayoutState
from payouts.services.ledger import entry_id_reserve
from payouts.services.payments import payment_start
from payouts.services.payouts import (
    payout_confirm,
    payout_fail,
    payout_reverse,
    payouts_cancel,
)
from tests.conftest import skip_unless
from tests.db_guards import execute, refused, truncate_refused
from tests.factories import UserFactory

from .conftest import release

pytestmark = pytest.mark.django_db

SUBJECT = "test:1"
FUNDING = subject_account(SUBJECT, AccountPurpose.FUNDING)
CLEARING = clearing_account("local", "USD")


def needs_postgres(what: str) -> None:
    skip_unless(connection.vendor == "postgresql", f"{what} is PostgreSQL's", service="postgres")


def fund(solver, amount: int = 700) -> Entry:
    """A payment through the local gateway: one "fund" entry of two legs."""
    payment_start(subject=SUBJECT, amount=amount, currency="USD", actor=solver, gateway="local")
    return Entry.objects.get(kind="fund")


def account(code: tuple[str, str]) -> Account:
    return Account.objects.get(code=code[0])


def insert_leg(entry_id: int, account_id: int, amount: int, currency: str = "USD") -> None:
    execute(
        "INSERT INTO payouts_leg (entry_id, account_id, amount, currency) VALUES (%s, %s, %s, %s)",
        [entry_id, account_id, amount, currency],
    )


def insert_entry(entry_id: int, key: str = "raw:1") -> None:
    execute(
        "INSERT INTO payouts_entry (id, idempotency_key, kind, memo, reference, created_at)"
        " VALUES (%s, %s, 'fund', '', %s, %s)",
        [entry_id, key, SUBJECT, timezone.now()],
    )


def ledger_rows() -> tuple[list, list, list]:
    return (
        list(Entry.objects.order_by("pk").values()),
        list(Leg.objects.order_by("pk").values()),
        list(Account.objects.order_by("pk").values_list("code", "balance")),
    )


# --- entries and legs are append-only --------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE payouts_leg SET amount = amount + 1 WHERE entry_id = %s",
        "UPDATE payouts_leg SET currency = 'EUR' WHERE entry_id = %s",
        "DELETE FROM payouts_leg WHERE entry_id = %s",
        "UPDATE payouts_entry SET memo = 'edited' WHERE id = %s",
        "UPDATE payouts_entry SET idempotency_key = 'other' WHERE id = %s",
        "DELETE FROM payouts_entry WHERE id = %s",
    ],
)
def test_entries_and_legs_cannot_change_or_go(solver, sql):
    entry = fund(solver)
    before = ledger_rows()
    refused(sql, [entry.pk], match="append-only")
    assert ledger_rows() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "table", ["payouts_entry", "payouts_leg", "payouts_payment", "payouts_payout"]
)
def test_truncate_is_refused(solver, table):
    needs_postgres("TRUNCATE")
    fund(solver)
    truncate_refused(table)
    assert Entry.objects.count() == 1 and Payment.objects.count() == 1


# --- an entry is closed by its own insertion --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_committed_entry_never_gains_a_leg_not_even_a_balanced_pair(solver):
    entry = fund(solver)
    before = ledger_rows()
    with pytest.raises(IntegrityError, match="closed"), transaction.atomic():
        insert_leg(entry.pk, account(FUNDING).pk, -100)
        insert_leg(entry.pk, account(CLEARING).pk, 100)
    assert ledger_rows() == before


def test_an_entry_with_no_legs_is_refused():
    refused(
        "INSERT INTO payouts_entry (idempotency_key, kind, memo, reference, created_at)"
        " VALUES ('raw:empty', 'fund', '', %s, %s)",
        [SUBJECT, timezone.now()],
        match="at least two legs",
    )
    assert not Entry.objects.exists()


def test_an_entry_of_one_leg_is_refused(solver):
    """Short of legs and unbalanced: whichever check fires first refuses it."""
    fund(solver)
    before = ledger_rows()
    with (
        pytest.raises(IntegrityError, match=r"at least two legs|not balanced"),
        transaction.atomic(),
    ):
        entry_id = entry_id_reserve()
        insert_leg(entry_id, account(FUNDING).pk, -100)
        insert_entry(entry_id)
    assert ledger_rows() == before


def test_an_unbalanced_entry_is_refused(solver):
    fund(solver)
    before = ledger_rows()
    with pytest.raises(IntegrityError, match="not balanced"), transaction.atomic():
        entry_id = entry_id_reserve()
        insert_leg(entry_id, account(FUNDING).pk, -100)
        insert_leg(entry_id, account(CLEARING).pk, 90)
        insert_entry(entry_id)
    assert ledger_rows() == before


def test_legs_in_a_currency_their_accounts_do_not_hold_are_refused(solver):
    fund(solver)
    before = ledger_rows()
    with pytest.raises(IntegrityError, match="currency"), transaction.atomic():
        entry_id = entry_id_reserve()
        insert_leg(entry_id, account(FUNDING).pk, -100, "EUR")
        insert_leg(entry_id, account(CLEARING).pk, 100, "EUR")
        insert_entry(entry_id)
    assert ledger_rows() == before


def test_a_balanced_entry_posted_with_raw_sql_goes_through_and_moves_the_balances(solver):
    fund(solver)
    with transaction.atomic():
        entry_id = entry_id_reserve()
        insert_leg(entry_id, account(FUNDING).pk, -300)
        insert_leg(entry_id, account(CLEARING).pk, 300)
        insert_entry(entry_id)
        assert Entry.objects.get(pk=entry_id).legs.count() == 2
        assert (account(FUNDING).balance, account(CLEARING).balance) == (400, -400)
        transaction.set_rollback(True)  # a made-up posting; the audit sees none of it
    assert account(FUNDING).balance == 700


def test_legs_only_join_the_entry_id_this_session_reserved_last(solver):
    needs_postgres("currval")
    fund(solver)
    before = ledger_rows()
    with pytest.raises(IntegrityError, match="reserved last"), transaction.atomic():
        first = entry_id_reserve()
        entry_id_reserve()
        insert_leg(first, account(FUNDING).pk, -100)
    assert ledger_rows() == before


@pytest.mark.parametrize(
    "purpose", [AccountPurpose.FUNDING, AccountPurpose.ESCROW, AccountPurpose.PAYABLE]
)
def test_the_check_constraint_keeps_liabilities_non_negative_under_the_triggers(purpose):
    owed = Account.objects.create(code=f"{SUBJECT}:{purpose}", purpose=purpose, currency="USD")
    with (
        pytest.raises(IntegrityError, match="account_liability_not_negative"),
        transaction.atomic(),
    ):
        insert_leg(entry_id_reserve(), owed.pk, -1)
    owed.refresh_from_db()
    assert owed.balance == 0 and not Leg.objects.exists()


def test_the_check_constraint_refuses_a_zero_leg_under_the_triggers(solver):
    fund(solver)
    before = ledger_rows()
    with pytest.raises(IntegrityError, match="leg_amount_not_zero"), transaction.atomic():
        insert_leg(entry_id_reserve(), account(FUNDING).pk, 0)
    assert ledger_rows() == before


# --- cached balances move only with legs ------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE payouts_account SET balance = balance + 100 WHERE code = %s",
        "UPDATE payouts_account SET balance = 0 WHERE code = %s",
    ],
)
def test_a_cached_balance_cannot_be_edited(solver, sql):
    fund(solver)
    before = ledger_rows()
    refused(sql, [FUNDING[0]], match="moves only when a leg is posted")
    assert ledger_rows() == before


def test_a_balance_cannot_be_moved_again_by_the_amount_of_the_last_posting(solver):
    """Right after a posting, on the same connection, adding the last leg's amount once
    more is still refused: the leg's entry is closed."""
    fund(solver)
    before = ledger_rows()
    last = Leg.objects.latest("pk")
    refused(
        "UPDATE payouts_account SET balance = balance + %s WHERE id = %s",
        [last.amount, last.account_id],
        match="moves only when a leg is posted",
    )
    assert ledger_rows() == before


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE payouts_account SET currency = 'EUR' WHERE code = %s",
        "UPDATE payouts_account SET purpose = 'fees' WHERE code = %s",
        "UPDATE payouts_account SET code = 'challenge:2:funding' WHERE code = %s",
    ],
)
def test_an_account_keeps_its_code_purpose_and_currency(solver, sql):
    fund(solver)
    before = ledger_rows()
    refused(sql, [FUNDING[0]], match="never change")
    assert ledger_rows() == before


# --- payments and payouts ---------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM payouts_payment WHERE id = %s",
        "UPDATE payouts_payment SET amount = 1 WHERE id = %s",
        "UPDATE payouts_payment SET subject = 'test:2' WHERE id = %s",
        "UPDATE payouts_payment SET currency = 'EUR' WHERE id = %s",
        "UPDATE payouts_payment SET gateway = 'stripe' WHERE id = %s",
        "UPDATE payouts_payment SET idempotency_key = 'pay:other' WHERE id = %s",
        "UPDATE payouts_payment SET state = 'failed' WHERE id = %s",
        "UPDATE payouts_payment SET state = 'pending' WHERE id = %s",
    ],
)
def test_a_payment_keeps_its_facts_and_its_success(solver, sql):
    fund(solver)
    payment = Payment.objects.get()
    before = list(Payment.objects.values())
    refused(sql, [payment.pk])
    assert list(Payment.objects.values()) == before


@pytest.fixture
def payouts(escrowed) -> dict[str, Payout]:
    """Payouts of two released awards, one in each state, by name of the state: the first
    payee's stays pending, the fifth's (the only one of award:2) is cancelled."""
    people = [UserFactory() for _ in range(5)]
    release(escrowed, [(person, 100) for person in people[:4]], reference="award:1")
    release(escrowed, [(people[4], 100)], reference="award:2")
    by_payee = {p.payee_id: p for p in Payout.objects.all()}
    paid, failed, reversed_ = (by_payee[person.pk] for person in people[1:4])
    payout_confirm(payout_id=paid.pk)
    payout_fail(payout_id=failed.pk, message="refused")
    payout_confirm(payout_id=reversed_.pk)
    payout_reverse(payout_id=reversed_.pk)
    payouts_cancel(reference="award:2")
    found = {p.state: p for p in Payout.objects.all()}
    assert set(found) == set(PayoutState.values)
    return found


@pytest.mark.parametrize(
    ("state", "sql"),
    [
        ("pending", "DELETE FROM payouts_payout WHERE id = %s"),
        ("cancelled", "DELETE FROM payouts_payout WHERE id = %s"),
        ("pending", "UPDATE payouts_payout SET amount = amount + 1 WHERE id = %s"),
        ("pending", "UPDATE payouts_payout SET currency = 'EUR' WHERE id = %s"),
        ("pending", "UPDATE payouts_payout SET subject = 'challenge:0' WHERE id = %s"),
        ("pending", "UPDATE payouts_payout SET reference = 'award:0' WHERE id = %s"),
        ("pending", "UPDATE payouts_payout SET payee_id = payee_id + 1 WHERE id = %s"),
        ("pending", "UPDATE payouts_payout SET gateway = 'stripe' WHERE id = %s"),
        ("pending", "UPDATE payouts_payout SET key = 'award:0:1' WHERE id = %s"),
        ("pending", "UPDATE payouts_payout SET destination = 'acct_other' WHERE id = %s"),
        ("succeeded", "UPDATE payouts_payout SET state = 'pending' WHERE id = %s"),
        ("succeeded", "UPDATE payouts_payout SET state = 'failed' WHERE id = %s"),
        ("succeeded", "UPDATE payouts_payout SET state = 'cancelled' WHERE id = %s"),
        ("reversed", "UPDATE payouts_payout SET state = 'succeeded' WHERE id = %s"),
        ("cancelled", "UPDATE payouts_payout SET state = 'pending' WHERE id = %s"),
        ("pending", "UPDATE payouts_payout SET state = 'reversed' WHERE id = %s"),
    ],
)
def test_a_payout_keeps_its_facts_and_moves_only_along_its_paths(payouts, state, sql):
    before = list(Payout.objects.order_by("pk").values())
    refused(sql, [payouts[state].pk])
    assert list(Payout.objects.order_by("pk").values()) == before


def test_a_failed_payout_may_be_retried_to_another_destination(payouts):
    failed = payouts["failed"]
    with transaction.atomic():
        execute(
            "UPDATE payouts_payout SET state = 'pending', destination = 'acct_new' WHERE id = %s",
            [failed.pk],
        )
        failed.refresh_from_db()
        assert (failed.state, failed.destination) == ("pending", "acct_new")
        transaction.set_rollback(True)
