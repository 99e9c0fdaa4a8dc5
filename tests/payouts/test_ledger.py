"""The ledger on any database: posting rules, payments and refunds, and the escrow flows
of a challenge through the marketplace services, with every invariant re-checked after
every step and `ledger_audit` run at the end of each flow."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.escrow.services import (
    challenge_fund,
    challenge_refund_excess,
    funding_due,
    subject_of,
)
from marketplace.lifecycle.services import challenge_transition
from payouts.accounts import clearing_account, fees_account, payable_account, subject_account
from payouts.gateways import PaymentOutcome, RefundOutcome
from payouts.gateways.local import LocalGateway
from payouts.models import Account, AccountPurpose, Entry, Leg, Payment, PaymentState, Refund
from payouts.models.ledger import NON_NEGATIVE
from payouts.selectors import balance_of, statement
from payouts.services.ledger import (
    InsufficientFunds,
    LedgerError,
    LegSpec,
    entry_post,
    transfer,
)
from payouts.services.payments import (
    payment_confirm,
    payment_fail,
    payment_start,
    refund_send,
    refunds_start,
)
from tests.db_guards import guards_off
from tests.factories import ChallengeFactory, fund_challenge

pytestmark = pytest.mark.django_db

SUBJECT = "test:1"
CLEARING = clearing_account("local", "USD")
FUNDING = subject_account(SUBJECT, AccountPurpose.FUNDING)
ESCROW = subject_account(SUBJECT, AccountPurpose.ESCROW)
POOL = 2_500_000  # 25,000.00 USD, the factory's pool
FEE = 250_000  # 10% of it


def assert_invariants(statements: bool = True) -> None:
    """Every ledger invariant, recomputed here independently of `run_audit`: entries
    balance, cached balances equal the sum of their legs, no liability below zero, each
    currency sums to zero over all accounts (money is conserved), and (unless the caller
    checks them itself) each subject's statement identity holds."""
    unbalanced = Leg.objects.values("entry_id", "currency").annotate(s=Sum("amount")).exclude(s=0)
    assert list(unbalanced) == []
    sums = dict(Leg.objects.values_list("account_id").annotate(s=Sum("amount")))
    for pk, code, purpose, balance in Account.objects.values_list(
        "pk", "code", "purpose", "balance"
    ):
        assert balance == (sums.get(pk) or 0), code
        if purpose in NON_NEGATIVE:
            assert balance >= 0, code
    per_currency = Account.objects.values("currency").annotate(s=Sum("balance"))
    assert {row["currency"]: row["s"] for row in per_currency if row["s"]} == {}
    for subject in set(Entry.objects.values_list("reference", flat=True)) if statements else ():
        assert statement(subject)["balanced"], statement(subject)


def assert_sound() -> None:
    """The invariants, then `manage.py ledger_audit` itself."""
    assert_invariants()
    status, out, err = audit()
    assert (status, err) == (0, "")
    assert out.startswith("ledger clean")


def audit() -> tuple[int, str, str]:
    """Run `manage.py ledger_audit`: (exit status, stdout, stderr). A CommandError is
    what makes manage.py print its message and exit with the error's return code."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger_audit", stdout=out, stderr=err)
        status = 0
    except CommandError as exc:
        status = exc.returncode
        err.write(str(exc))
    return status, out.getvalue(), err.getvalue()


def post(key, legs, currency="USD", kind="open"):
    return entry_post(key=key, kind=kind, reference=SUBJECT, currency=currency, legs=legs)


def opening(pool: int) -> list[LegSpec]:
    """The legs of opening SUBJECT with `pool`: pool and fee (10%) out of funding."""
    return [
        LegSpec(FUNDING, -(pool + pool // 10)),
        LegSpec(ESCROW, pool),
        LegSpec(fees_account("USD"), pool // 10),
    ]


def pay(amount, actor) -> Payment:
    return payment_start(
        subject=SUBJECT, amount=amount, currency="USD", actor=actor, gateway="local"
    )


def balances() -> dict[str, int]:
    return dict(Account.objects.values_list("code", "balance"))


def written() -> tuple[int, int, int]:
    return Entry.objects.count(), Leg.objects.count(), Account.objects.count()


# --- entry_post ------------------------------------------------------------------------


def test_balanced_entry_moves_cached_balances(solver):
    pay(500, solver)
    assert balances() == {CLEARING[0]: -500, FUNDING[0]: 500}
    entry, created = post("open:1", opening(300))
    assert created
    assert (entry.kind, entry.reference) == ("open", SUBJECT)
    assert balances() == {
        CLEARING[0]: -500,
        FUNDING[0]: 170,
        ESCROW[0]: 300,
        "platform:fees:USD": 30,
    }
    assert sorted(entry.legs.values_list("account__code", "amount", "currency")) == [
        ("platform:fees:USD", 30, "USD"),
        (ESCROW[0], 300, "USD"),
        (FUNDING[0], -330, "USD"),
    ]
    assert Account.objects.get(code=ESCROW[0]).purpose == AccountPurpose.ESCROW
    assert_sound()


def test_same_key_twice_returns_the_first_entry_and_posts_nothing(solver):
    pay(500, solver)
    first, _created = post("open:1", opening(200))
    before = written()
    again, created = post("open:1", opening(400))
    assert not created
    assert again.pk == first.pk
    assert written() == before
    assert balances() == {
        CLEARING[0]: -500,
        FUNDING[0]: 280,
        ESCROW[0]: 200,
        "platform:fees:USD": 20,
    }


@pytest.mark.parametrize(
    "legs",
    [
        [LegSpec(CLEARING, -500), LegSpec(FUNDING, 400)],
        [LegSpec(FUNDING, 500)],
        [],
        [LegSpec(CLEARING, 0), LegSpec(FUNDING, 0)],
        [LegSpec(CLEARING, -5.0), LegSpec(FUNDING, 5.0)],
        [LegSpec(CLEARING, Decimal(-5)), LegSpec(FUNDING, Decimal(5))],
        [LegSpec(CLEARING, "-5"), LegSpec(FUNDING, "5")],
        [LegSpec(CLEARING, -1), LegSpec(FUNDING, True)],
    ],
    ids=["unbalanced", "one-leg", "no-legs", "zero", "float", "decimal", "text", "bool"],
)
def test_bad_entries_are_refused_and_nothing_is_written(legs):
    with pytest.raises(LedgerError):
        post("bad", legs)
    assert written() == (0, 0, 0)


@pytest.mark.parametrize("currency", ["XXX", "usd", "", None])
def test_unknown_currency_is_refused(currency):
    with pytest.raises(ValidationError):
        post("k1", transfer(CLEARING, FUNDING, 500), currency=currency)
    assert written() == (0, 0, 0)


def test_an_account_cannot_be_used_in_a_second_currency(solver):
    pay(500, solver)
    before = written()
    with pytest.raises(LedgerError):
        post("k2", transfer(clearing_account("local", "EUR"), FUNDING, 500), currency="EUR")
    assert written() == before
    assert not Account.objects.filter(code="gateway:local:clearing:EUR").exists()


def test_an_account_cannot_change_purpose(solver):
    pay(500, solver)
    with pytest.raises(LedgerError):
        post("k2", transfer((FUNDING[0], AccountPurpose.ESCROW), ESCROW, 100))
    assert balances() == {CLEARING[0]: -500, FUNDING[0]: 500}


RELEASED = payable_account(7, "USD")


def fill(account, amount, payer) -> None:
    """Bring `amount` into the account the way money gets there: paid in, held, released."""
    pay(amount, payer)
    if account in (ESCROW, RELEASED):
        post(f"hold:{amount}", transfer(FUNDING, ESCROW, amount), kind="hold")
    if account == RELEASED:
        post(f"release:{amount}", transfer(ESCROW, RELEASED, amount), kind="release")


# Money leaves by hand-posted entries here, with no Refund or payout row behind them,
# which the full audit rightly reports: only the entry-level invariants are checked.
@pytest.mark.corrupts_ledger
@pytest.mark.parametrize(
    ("account", "out"),
    [(FUNDING, "refund"), (ESCROW, "refund"), (RELEASED, "payout")],
    ids=["funding", "escrow", "payable"],
)
def test_liabilities_never_go_below_zero(account, out, solver):
    with pytest.raises(InsufficientFunds):
        post("empty", transfer(account, CLEARING, 1), kind=out)
    assert written() == (0, 0, 0)

    fill(account, 100, solver)
    before = written()
    with pytest.raises(InsufficientFunds):
        post("over", transfer(account, CLEARING, 101), kind=out)
    assert written() == before
    post("all", transfer(account, CLEARING, 100), kind=out)
    assert balances()[account[0]] == 0
    assert_invariants()


# A made-up entry (no service takes money out of fees), which the full audit reports.
@pytest.mark.corrupts_ledger
def test_fees_and_clearing_may_hold_any_sign():
    post("k1", transfer(fees_account("USD"), CLEARING, 50), kind="hold")
    assert balances() == {"platform:fees:USD": -50, CLEARING[0]: 50}


# --- payments and refunds --------------------------------------------------------------


def test_payment_confirmed_twice_posts_once(solver):
    payment = pay(700, solver)
    assert payment.state == PaymentState.SUCCEEDED
    payment_confirm(payment_id=payment.pk)
    payment_confirm(payment_id=payment.pk)
    assert list(Entry.objects.values_list("idempotency_key", flat=True)) == [f"fund:{payment.pk}"]
    assert balance_of(SUBJECT, AccountPurpose.FUNDING) == 700
    assert_sound()


def test_failure_reported_after_confirmation_keeps_the_payment_succeeded(solver):
    payment = pay(700, solver)
    failed = payment_fail(payment_id=payment.pk, message="card declined")
    assert failed.state == PaymentState.SUCCEEDED
    payment.refresh_from_db()
    assert (payment.state, payment.failure_message) == (PaymentState.SUCCEEDED, "")
    assert balance_of(SUBJECT, AccountPurpose.FUNDING) == 700


@pytest.mark.parametrize("amount", [0, -5, 5.0, True, "5"])
def test_payment_amount_must_be_a_positive_integer(solver, amount):
    with pytest.raises(ValidationError):
        pay(amount, solver)
    assert not Payment.objects.exists()
    assert written() == (0, 0, 0)


def start_refunds(include_escrow) -> list[Refund]:
    with transaction.atomic():
        return refunds_start(subject=SUBJECT, reason="test", include_escrow=include_escrow)


def test_refunds_started_twice_are_created_once(solver):
    pay(700, solver)
    assert len(start_refunds(include_escrow=True)) == 1
    assert start_refunds(include_escrow=True) == []
    assert list(Refund.objects.values_list("amount", "from_funding", "from_escrow")) == [
        (700, 700, 0)
    ]


def test_refunds_spread_over_payments_newest_first_and_never_exceed_one(solver):
    p1, p2, p3 = pay(300, solver), pay(500, solver), pay(200, solver)
    post("open:1", opening(250))

    unallocated = start_refunds(include_escrow=False)
    assert [(r.payment_id, r.from_funding, r.from_escrow) for r in unallocated] == [
        (p3.pk, 200, 0),
        (p2.pk, 500, 0),
        (p1.pk, 25, 0),
    ]
    held = start_refunds(include_escrow=True)
    assert [(r.payment_id, r.from_funding, r.from_escrow) for r in held] == [(p1.pk, 0, 250)]
    assert start_refunds(include_escrow=True) == []

    for refund in [*unallocated, *held]:
        refund_send(refund_id=refund.pk)
    per_payment = dict(
        Refund.objects.values_list("payment_id").annotate(s=Sum("amount")).order_by()
    )
    assert per_payment == {p1.pk: 275, p2.pk: 500, p3.pk: 200}
    assert balance_of(SUBJECT, AccountPurpose.FUNDING) == 0
    assert balance_of(SUBJECT, AccountPurpose.ESCROW) == 0
    assert statement(SUBJECT)["refunded"] == 975
    assert_sound()


def test_refund_done_twice_posts_once(solver):
    pay(700, solver)
    (refund,) = start_refunds(include_escrow=True)
    refund_send(refund_id=refund.pk)
    refund_send(refund_id=refund.pk)
    assert Entry.objects.filter(kind="refund").count() == 1
    assert balances() == {CLEARING[0]: 0, FUNDING[0]: 0}
    assert_sound()


# --- a challenge's money through the marketplace services --------------------------------


@pytest.fixture
def challenge(org, owner):
    return ChallengeFactory(organization=org, created_by=owner, state=S.AWAITING_FUNDING)


def go(challenge, name, actor, reason=""):
    return challenge_transition(challenge_id=challenge.pk, name=name, actor=actor, reason=reason)


def fund(challenge, actor, amount=None) -> Payment:
    return challenge_fund(challenge_id=challenge.pk, actor=actor, amount=amount)


def accounts_of(challenge) -> dict[str, int]:
    subject = subject_of(challenge)
    return {p: balance_of(subject, p) for p in ("funding", "escrow")}


def fees_earned() -> int:
    return Account.objects.get(code=fees_account("USD")[0]).balance


def summary(challenge) -> dict[str, int]:
    s = statement(subject_of(challenge))
    assert s["balanced"], s
    return {k: s[k] for k in ("received", "fee", "held", "refunded", "unallocated")}


def test_partial_payment_then_a_second_payment_opens(challenge, owner):
    fund(challenge, owner, amount=1_000_000)
    due = funding_due(challenge)
    assert (due["total"], due["received"], due["outstanding"]) == (POOL + FEE, 1_000_000, 1_750_000)
    assert_sound()

    with pytest.raises(IllegalTransition) as exc:
        go(challenge, "open", owner)
    assert exc.value.code == "condition_failed"
    assert Challenge.objects.get(pk=challenge.pk).state == S.AWAITING_FUNDING
    assert not Entry.objects.filter(kind="open").exists()

    second = fund(challenge, owner)
    assert second.amount == 1_750_000
    assert funding_due(challenge)["outstanding"] == 0
    go(challenge, "open", owner)
    assert accounts_of(challenge) == {"funding": 0, "escrow": POOL}
    assert fees_earned() == FEE
    assert summary(challenge) == {
        "received": POOL + FEE,
        "fee": FEE,
        "held": POOL,
        "refunded": 0,
        "unallocated": 0,
    }
    assert_sound()


def test_excess_is_shown_and_refundable_after_opening(
    challenge, owner, django_capture_on_commit_callbacks
):
    # challenge_fund never asks for more than is due; excess is a payment that arrives
    # anyway (one taken as failed that succeeds after all), here paid in directly.
    fund_challenge(challenge, amount=POOL + FEE + 12_345)
    due = funding_due(challenge)
    assert (due["outstanding"], due["excess"]) == (0, 12_345)
    with pytest.raises(IllegalTransition) as exc:
        fund(challenge, owner)
    assert exc.value.code == "already_funded"
    with pytest.raises(IllegalTransition) as exc:
        challenge_refund_excess(challenge_id=challenge.pk, actor=owner)
    assert exc.value.code == "not_open"
    assert not Refund.objects.exists()

    go(challenge, "open", owner)
    assert accounts_of(challenge) == {"funding": 12_345, "escrow": POOL}
    assert_sound()
    with django_capture_on_commit_callbacks(execute=True):
        assert challenge_refund_excess(challenge_id=challenge.pk, actor=owner) == 1
    assert challenge_refund_excess(challenge_id=challenge.pk, actor=owner) == 0
    assert accounts_of(challenge) == {"funding": 0, "escrow": POOL}
    assert summary(challenge) == {
        "received": POOL + FEE + 12_345,
        "fee": FEE,
        "held": POOL,
        "refunded": 12_345,
        "unallocated": 0,
    }
    assert_sound()


def test_only_editors_and_staff_fund_and_refund(challenge, judge, outsider, owner):
    for who in (judge, outsider):
        with pytest.raises(NotAllowed):
            fund(challenge, who)
    fund(challenge, owner)
    go(challenge, "open", owner)
    with pytest.raises(NotAllowed):
        challenge_refund_excess(challenge_id=challenge.pk, actor=judge)
    assert Payment.objects.count() == 1 and not Refund.objects.exists()


def test_cancel_before_opening_refunds_everything_with_no_fee(
    challenge, owner, django_capture_on_commit_callbacks
):
    fund(challenge, owner, amount=600_000)
    fund(challenge, owner, amount=400_000)
    with django_capture_on_commit_callbacks(execute=True):
        go(challenge, "cancel", owner, reason="Budget withdrawn")
    assert accounts_of(challenge) == {"funding": 0, "escrow": 0}
    assert sorted(Refund.objects.values_list("amount", "state")) == [
        (400_000, "succeeded"),
        (600_000, "succeeded"),
    ]
    assert not Account.objects.filter(purpose=AccountPurpose.FEES).exists()
    assert summary(challenge) == {
        "received": 1_000_000,
        "fee": 0,
        "held": 0,
        "refunded": 1_000_000,
        "unallocated": 0,
    }
    assert_sound()


def test_cancel_by_staff_after_opening_refunds_the_pool_and_keeps_the_fee(
    challenge, owner, staff, django_capture_on_commit_callbacks
):
    fund_challenge(challenge, amount=POOL + FEE + 5_000)  # with excess, as above
    go(challenge, "open", owner)
    with pytest.raises(NotAllowed):
        go(challenge, "cancel", owner, reason="Changed our mind")
    assert accounts_of(challenge) == {"funding": 5_000, "escrow": POOL}

    with django_capture_on_commit_callbacks(execute=True):
        go(challenge, "cancel", staff, reason="Seeker breached the terms")
    assert Challenge.objects.get(pk=challenge.pk).state == S.CANCELLED
    assert accounts_of(challenge) == {"funding": 0, "escrow": 0}
    assert fees_earned() == FEE
    assert summary(challenge) == {
        "received": POOL + FEE + 5_000,
        "fee": FEE,
        "held": 0,
        "refunded": POOL + 5_000,
        "unallocated": 0,
    }
    assert_sound()


def to_judging(challenge, owner):
    Challenge.objects.filter(pk=challenge.pk).update(
        submission_deadline=timezone.now() - timedelta(minutes=1)
    )
    go(challenge, "close", None)
    go(challenge, "start_judging", owner)


def test_no_award_refunds_the_pool_and_keeps_the_fee(
    challenge, owner, django_capture_on_commit_callbacks
):
    fund(challenge, owner)
    go(challenge, "open", owner)
    to_judging(challenge, owner)
    assert_sound()
    with django_capture_on_commit_callbacks(execute=True):
        go(challenge, "declare_no_award", owner, reason="No solution met the requirements")
    assert accounts_of(challenge) == {"funding": 0, "escrow": 0}
    assert summary(challenge) == {
        "received": POOL + FEE,
        "fee": FEE,
        "held": 0,
        "refunded": POOL,
        "unallocated": 0,
    }
    assert_sound()


def test_an_open_challenge_cannot_be_funded(challenge, owner):
    fund(challenge, owner)
    go(challenge, "open", owner)
    with pytest.raises(IllegalTransition) as exc:
        fund(challenge, owner, amount=100)
    assert exc.value.code == "not_awaiting_funding"
    assert Payment.objects.count() == 1


# --- money that is still held after the challenge has ended ---------------------------


def test_money_confirmed_after_cancellation_can_be_refunded(
    challenge, owner, staff, monkeypatch, django_capture_on_commit_callbacks
):
    """A payment the payer has not finished yet (e.g. Stripe waiting for 3-D Secure) is
    confirmed by the provider after the Seeker cancelled: the money arrives in the
    funding account of a cancelled challenge, and someone must be able to return it."""
    monkeypatch.setattr(
        LocalGateway,
        "start_payment",
        lambda self, payment, payment_method=None: PaymentOutcome(status="pending"),
    )
    late = fund(challenge, owner, amount=700_000)
    assert late.state == PaymentState.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        go(challenge, "cancel", owner, reason="Budget withdrawn")
    payment_confirm(payment_id=late.pk)
    assert accounts_of(challenge) == {"funding": 700_000, "escrow": 0}

    with django_capture_on_commit_callbacks(execute=True):
        assert challenge_refund_excess(challenge_id=challenge.pk, actor=staff) == 1
    assert accounts_of(challenge) == {"funding": 0, "escrow": 0}
    assert summary(challenge)["refunded"] == 700_000


@pytest.mark.parametrize("ending", ["cancel", "declare_no_award"])
def test_a_failed_refund_of_the_pool_can_be_started_again(
    challenge, owner, staff, ending, monkeypatch, django_capture_on_commit_callbacks
):
    """The provider gives up on the refund of an ended challenge's pool (`refund_fail`
    leaves the money "visible and refundable again"): the pool must not stay in escrow
    for good."""
    fund(challenge, owner)
    go(challenge, "open", owner)
    to_judging(challenge, owner)
    with monkeypatch.context() as failing:
        failing.setattr(
            LocalGateway,
            "refund",
            lambda self, refund: RefundOutcome(status="failed", failure_message="card expired"),
        )
        with django_capture_on_commit_callbacks(execute=True):
            go(challenge, ending, staff, reason="Nothing fit")
    assert list(Refund.objects.values_list("state", flat=True)) == ["failed"]
    assert accounts_of(challenge) == {"funding": 0, "escrow": POOL}

    with django_capture_on_commit_callbacks(execute=True):
        assert challenge_refund_excess(challenge_id=challenge.pk, actor=staff) == 1
    assert accounts_of(challenge) == {"funding": 0, "escrow": 0}
    assert summary(challenge)["refunded"] == POOL


# --- ledger_audit ----------------------------------------------------------------------


@pytest.mark.corrupts_ledger
def test_ledger_audit_is_clean_after_a_flow_and_reports_a_corrupted_balance(challenge, owner):
    fund(challenge, owner)
    go(challenge, "open", owner)
    status, out, _err = audit()
    assert status == 0
    assert "ledger clean" in out

    escrow = f"{subject_of(challenge)}:escrow"
    with guards_off():
        Account.objects.filter(code=escrow).update(balance=F("balance") - 1)
    status, _out, err = audit()
    assert status == 1
    assert f"BREACH account {escrow}: cached balance {POOL - 1}, legs say {POOL}" in err
    assert (
        f"BREACH {subject_of(challenge)}: received {POOL + FEE} != fee {FEE} + held {POOL - 1}"
        in err
    )
    assert "2 breach(es) found" in err
