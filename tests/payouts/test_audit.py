"""Each breach the audit knows is found, named and counted. A clean little ledger is
built, then corrupted below the posting service, with the database's guards switched
off (`guards_off`). Zero legs, which a CHECK constraint refuses, are forged on SQLite
only."""

import pytest
from django.db import connection
from django.db.models import F

from payouts.accounts import clearing_account, fees_account, subject_account
from payouts.audit import run_audit
from payouts.models import Account, AccountPurpose, Entry, Leg, Payment, PaymentState, Refund
from payouts.services.ledger import LegSpec, entry_post, transfer
from payouts.services.payments import payment_start
from tests.db_guards import guards_off

pytestmark = [pytest.mark.django_db, pytest.mark.corrupts_ledger]

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's CHECK constraint refuses this row"
)

SUBJECT = "test:1"
CLEARING = clearing_account("local", "USD")
FUNDING = subject_account(SUBJECT, AccountPurpose.FUNDING)
ESCROW = subject_account(SUBJECT, AccountPurpose.ESCROW)
FEES = fees_account("USD")


@pytest.fixture
def payment(solver) -> Payment:
    """700 paid in, then opened with a pool of 300 held in escrow and its fee of 30: a
    clean ledger of two entries."""
    paid = payment_start(subject=SUBJECT, amount=700, currency="USD", actor=solver, gateway="local")
    entry_post(
        key="open:1",
        kind="open",
        reference=SUBJECT,
        currency="USD",
        legs=[LegSpec(FUNDING, -330), LegSpec(ESCROW, 300), LegSpec(FEES, 30)],
    )
    report = run_audit()
    assert report.clean, report.breaches
    assert report.checked == {
        "entries": 2,
        "legs": 5,
        "accounts": 4,
        "subjects": 1,
        "payments": 1,
        "refunds": 0,
        "payouts": 0,
        "extra checks": 0,
    }
    return paid


def account(code_purpose) -> Account:
    return Account.objects.get(code=code_purpose[0])


def forged_entry(key: str, *legs: tuple[tuple[str, str], int, str]) -> Entry:
    """An entry of a kind no service posts, with `legs`, written with the guards off."""
    with guards_off():
        entry = Entry.objects.create(idempotency_key=key, kind="forged", reference=SUBJECT)
        for target, amount, currency in legs:
            Leg.objects.create(
                entry=entry, account=account(target), amount=amount, currency=currency
            )
    return entry


def forged_kind(key: str) -> str:
    return f"entry {key}: 'forged' is not a kind of entry the ledger posts"


def breaches() -> list[str]:
    return run_audit().breaches


def test_cached_balance_that_differs_from_the_legs(payment):
    move_cached(ESCROW, 5)
    assert breaches() == [
        "account test:1:escrow: cached balance 305, legs say 300",
        "test:1: received 700 != fee 30 + held 305 + owed 0 + paid 0 + refunded 0 + unallocated 370",
    ]


def test_entry_without_legs(payment):
    with guards_off():
        Entry.objects.create(idempotency_key="fund:empty", kind="fund", reference=SUBJECT)
    assert breaches() == [
        "entry fund:empty: 0 leg(s); at least two needed",
        "entry fund:empty has no successful payment behind it",
    ]


def test_money_that_appears_without_being_received(payment):
    entry_post(
        key="gift",
        kind="gift",
        reference=SUBJECT,
        currency="USD",
        legs=transfer(CLEARING, ESCROW, 50),
    )
    assert breaches() == [
        "entry gift: 'gift' is not a kind of entry the ledger posts",
        "test:1: received 700 != fee 30 + held 350 + owed 0 + paid 0 + refunded 0 + unallocated 370",
    ]


def test_successful_payment_never_posted(payment, solver):
    other = Payment.objects.create(
        subject=SUBJECT,
        gateway="local",
        amount=100,
        currency="USD",
        idempotency_key="pay:other",
        created_by=solver,
        state=PaymentState.SUCCEEDED,
    )
    assert breaches() == [f"payment {other.pk} succeeded but was never posted"]


def test_posted_funding_without_a_successful_payment(payment):
    with guards_off():
        Payment.objects.filter(pk=payment.pk).update(state=PaymentState.FAILED)
    assert breaches() == [f"entry fund:{payment.pk} has no successful payment behind it"]


@pytest.mark.parametrize("key", ["fund:999999", "fund:manual", "manual"])
def test_funding_entry_that_names_no_payment_is_reported(payment, key):
    entry_post(
        key=key,
        kind="fund",
        reference=SUBJECT,
        currency="USD",
        legs=transfer(CLEARING, FUNDING, 10),
    )
    assert breaches() == [f"entry {key} has no successful payment behind it"]


def test_successful_refund_never_posted(payment):
    refund = Refund.objects.create(payment=payment, amount=100, from_funding=100, state="succeeded")
    assert breaches() == [f"refund {refund.pk} succeeded but was never posted"]


def test_refund_entry_without_a_successful_refund(payment):
    entry_post(
        key="refund:999999",
        kind="refund",
        reference=SUBJECT,
        currency="USD",
        legs=transfer(FUNDING, CLEARING, 10),
    )
    assert breaches() == ["entry refund:999999 has no successful refund behind it"]


def test_refunds_exceeding_their_payment(payment):
    Refund.objects.create(payment=payment, amount=400, from_funding=400)
    Refund.objects.create(payment=payment, amount=301, from_escrow=301)
    Refund.objects.create(payment=payment, amount=500, from_funding=500, state="failed")
    assert breaches() == [f"payment {payment.pk}: refunds 701 exceed the payment 700"]


def move_cached(target, amount: int) -> None:
    with guards_off():
        Account.objects.filter(code=target[0]).update(balance=F("balance") + amount)


def test_unbalanced_entry(payment):
    with guards_off():
        Leg.objects.create(
            entry=Entry.objects.get(idempotency_key="open:1"),
            account=account(ESCROW),
            amount=5,
            currency="USD",
        )
    move_cached(ESCROW, 5)
    assert breaches() == [
        "entry open:1: legs in USD sum to 5",
        "entry open:1: legs platform:fees:USD +30 USD, test:1:escrow +5 USD, test:1:escrow +300 USD, "
        "test:1:funding -330 USD; a pool of 305 and a fee of 30 calls for platform:fees:USD +30 "
        "USD, test:1:escrow +305 USD, test:1:funding -335 USD",
        "test:1: received 700 != fee 30 + held 305 + owed 0 + paid 0 + refunded 0 + unallocated 370",
    ]


def test_single_leg_entry(payment):
    forged_entry("lonely", (FUNDING, -5, "USD"))
    move_cached(FUNDING, -5)
    assert breaches() == [
        "entry lonely: legs in USD sum to -5",
        "entry lonely: 1 leg(s); at least two needed",
        forged_kind("lonely"),
        "test:1: received 700 != fee 30 + held 300 + owed 0 + paid 0 + refunded 0 + unallocated 365",
    ]


@sqlite_only
def test_zero_legs(payment):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        forged_entry("zero", (FUNDING, 0, "USD"), (ESCROW, 0, "USD"))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
    assert breaches() == ["entry zero: a zero leg", "entry zero: a zero leg", forged_kind("zero")]


def test_leg_in_another_currency_than_its_account(payment):
    forged_entry("eur", (FUNDING, -10, "EUR"), (ESCROW, 10, "EUR"))
    move_cached(FUNDING, -10)
    move_cached(ESCROW, 10)
    assert breaches() == [
        "entry eur: leg in EUR on test:1:funding (USD)",
        "entry eur: leg in EUR on test:1:escrow (USD)",
        forged_kind("eur"),
    ]


def test_liability_whose_legs_go_below_zero(payment):
    forged_entry("overdraw", (ESCROW, -400, "USD"), (CLEARING, 400, "USD"))
    assert breaches() == [
        "account gateway:local:clearing:USD: cached balance -700, legs say -300",
        "account test:1:escrow: cached balance 300, legs say -100",
        "account test:1:escrow: negative balance -100",
        forged_kind("overdraw"),
    ]
