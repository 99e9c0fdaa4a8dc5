"""Payouts through Stripe Connect transfers, against a loopback Stripe that answers the
Transfers API from recorded objects (localstripe has none) and can fail on purpose:
the exact request Stripe receives, retries under one idempotency key, a refused
destination, and reconciliation with what Stripe holds."""

import contextlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from marketplace.core.references import subject_of
from payouts.gateways import GatewayUnavailable
from payouts.models import Entry, GatewayEvent, PayoutState
from payouts.selectors import statement
from payouts.services.payouts import payout_retry, payout_send
from payouts.services.tax import payout_account_set

from .conftest import CONNECTED, TRANSFERS, release, transfer_event

pytestmark = pytest.mark.django_db

AMOUNT = 1_000_000


@pytest.fixture
def payout(stripe_transfers, escrowed, solver):
    """A pending Stripe payout of AMOUNT to `solver`, whose Connect account is on file."""
    payout_account_set(user=solver, gateway="stripe", destination=CONNECTED)
    (pending,) = release(escrowed, [(solver, AMOUNT)], gateway="stripe")
    return pending


def assert_paid_once(stripe_transfers, payout):
    payout.refresh_from_db()
    assert payout.state == PayoutState.SUCCEEDED
    assert list(stripe_transfers.made) == [payout.provider_id]
    assert Entry.objects.filter(kind="payout").count() == 1
    assert statement(payout.subject)["paid"] == AMOUNT


def test_stripe_receives_the_exact_transfer(stripe_transfers, payout, escrowed):
    paid = payout_send(payout_id=payout.pk)

    assert stripe_transfers.requests == [
        (
            {
                "amount": str(AMOUNT),
                "currency": "usd",
                "destination": CONNECTED,
                "transfer_group": subject_of(escrowed),
                "metadata[payout]": str(payout.pk),
                "metadata[reference]": "award:1",
            },
            f"payout:award:1:{payout.payee_id}",
        )
    ]
    assert (paid.state, paid.provider_id, paid.test_money) == (
        PayoutState.SUCCEEDED,
        "tr_test000001",
        True,
    )
    assert_paid_once(stripe_transfers, paid)


@pytest.mark.parametrize("fault", ["500", "reset", "hang"])
def test_the_library_retries_with_the_same_key(stripe_transfers, payout, fault):
    stripe_transfers.faults = [fault]

    paid = payout_send(payout_id=payout.pk)

    assert stripe_transfers.keys("POST", TRANSFERS) == [f"payout:{payout.key}"] * 2
    assert paid.attempts == 1
    assert_paid_once(stripe_transfers, paid)


def test_a_lost_answer_retried_later_with_the_same_key_pays_once(
    stripe_transfers, payout, settings
):
    """Stripe made the transfer but its answer never came: the payout stays pending
    (the caller's task retries), and the retry gets Stripe's first answer again."""
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    stripe_transfers.faults = ["lost"]

    with pytest.raises(GatewayUnavailable):
        payout_send(payout_id=payout.pk)

    payout.refresh_from_db()
    assert (payout.state, payout.provider_id, payout.attempts) == (PayoutState.PENDING, "", 1)
    assert payout.failure_message
    assert len(stripe_transfers.made) == 1
    assert not Entry.objects.filter(kind="payout").exists()

    paid = payout_send(payout_id=payout.pk)

    assert paid.attempts == 2
    assert stripe_transfers.keys("POST", TRANSFERS) == [f"payout:{payout.key}"] * 2
    assert_paid_once(stripe_transfers, paid)


def test_an_unreachable_stripe_leaves_the_payout_pending(stripe_transfers, payout):
    stripe_transfers.faults = ["500", "500", "500"]

    with pytest.raises(GatewayUnavailable):
        payout_send(payout_id=payout.pk)

    payout.refresh_from_db()
    assert (payout.state, payout.attempts) == (PayoutState.PENDING, 1)
    assert not stripe_transfers.made
    assert not Entry.objects.filter(kind="payout").exists()


def test_a_refused_destination_fails_and_a_fixed_account_is_paid_on_retry(
    stripe_transfers, escrowed, solver
):
    payout_account_set(user=solver, gateway="stripe", destination="acct_1Closed")
    (payout,) = release(escrowed, [(solver, AMOUNT)], gateway="stripe")

    failed = payout_send(payout_id=payout.pk)

    assert (failed.state, failed.failure_message) == (
        PayoutState.FAILED,
        "No such destination: 'acct_1Closed'",
    )
    assert not stripe_transfers.made
    assert not Entry.objects.filter(kind="payout").exists()
    assert statement(payout.subject)["owed"] == AMOUNT

    payout_account_set(user=solver, gateway="stripe", destination=CONNECTED)
    payout_retry(payout_id=payout.pk)
    paid = payout_send(payout_id=payout.pk)

    assert [(form["destination"], key) for form, key in stripe_transfers.requests] == [
        ("acct_1Closed", f"payout:{payout.key}"),
        (CONNECTED, f"payout:{payout.key}"),
    ]
    assert_paid_once(stripe_transfers, paid)


def test_a_payee_without_an_account_is_not_sent_to_stripe(stripe_transfers, escrowed, solver):
    (payout,) = release(escrowed, [(solver, AMOUNT)], gateway="stripe")

    failed = payout_send(payout_id=payout.pk)

    assert (failed.state, failed.failure_message) == (
        PayoutState.FAILED,
        "The payee has no Stripe account on file.",
    )
    assert stripe_transfers.seen == []


def reconcile() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with contextlib.suppress(CommandError):
        call_command("ledger_audit", "--reconcile", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_reconcile_compares_payouts_with_stripes_transfers(stripe_transfers, payout, deliver):
    paid = payout_send(payout_id=payout.pk)
    out, _err = reconcile()
    assert "ledger clean" in out and "1 stripe payouts" in out

    stripe_transfers.made[paid.provider_id]["amount_reversed"] = 100
    assert reconcile()[1] == (
        f"BREACH stripe payout {paid.pk}: {paid.provider_id} is partially_reversed at Stripe\n"
    )
    transfer = stripe_transfers.reverse(paid.provider_id)
    assert (
        reconcile()[1]
        == f"BREACH stripe payout {paid.pk}: {paid.provider_id} is reversed at Stripe\n"
    )

    deliver(transfer_event(transfer))
    assert GatewayEvent.objects.get().outcome == GatewayEvent.Outcome.PROCESSED
    assert "ledger clean" in reconcile()[0]

    transfer["destination"] = "acct_1Elsewhere"
    assert reconcile()[1] == (
        f"BREACH stripe payout {paid.pk}: {paid.provider_id} pays acct_1Elsewhere at Stripe, "
        f"not {CONNECTED}\n"
    )
    del stripe_transfers.made[paid.provider_id]
    assert reconcile()[1] == (
        f"BREACH stripe payout {paid.pk}: {paid.provider_id} is unknown at Stripe\n"
    )
