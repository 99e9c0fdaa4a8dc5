"""`ledger_audit --reconcile`: the ledger's Stripe payments and refunds against
Stripe's own records (localstripe)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from marketplace.challenges.models import ChallengeState
from marketplace.escrow.services import challenge_fund, subject_of
from payouts.models import Payment, Refund
from payouts.services.payments import payment_confirm, refund_done
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(org, owner):
    return ChallengeFactory(
        organization=org, created_by=owner, state=ChallengeState.AWAITING_FUNDING
    )


def recorded_payment(challenge, amount: int, provider_id: str, key: str) -> Payment:
    """A payment the ledger counts as received through Stripe."""
    payment = Payment.objects.create(
        subject=subject_of(challenge),
        gateway="stripe",
        amount=amount,
        currency="USD",
        idempotency_key=key,
        provider_id=provider_id,
        created_by=challenge.created_by,
    )
    return payment_confirm(payment_id=payment.pk)


def audit(*args) -> tuple[str, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("ledger_audit", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), ""


def test_reconcile_reports_every_payment_and_refund_stripe_does_not_back(
    stripe_api, card, challenge, owner
):
    good = challenge_fund(challenge_id=challenge.pk, actor=owner, payment_method=card())
    smaller = stripe_api.v1.payment_intents.create(
        {"amount": 500, "currency": "usd", "payment_method": card(), "confirm": True}
    )
    unpaid = stripe_api.v1.payment_intents.create({"amount": 700, "currency": "usd"})
    recorded_payment(challenge, 700, smaller.id, "k-smaller")
    recorded_payment(challenge, 700, unpaid.id, "k-unpaid")
    recorded_payment(challenge, 700, "pi_nowhere", "k-nowhere")
    recorded_payment(challenge, 700, "", "k-no-id")
    partial = stripe_api.v1.refunds.create({"payment_intent": good.provider_id, "amount": 100})
    refund = Refund.objects.create(
        payment=good, amount=300, from_funding=300, provider_id=partial.id
    )
    refund_done(refund_id=refund.pk)

    out, _err, _failed = audit()
    assert "ledger clean" in out  # the ledger alone adds up

    _out, err, failed = audit("--reconcile")

    assert "5 breach(es) found" in failed
    assert "5 stripe payments, 1 stripe refunds" in failed
    breaches = sorted(line for line in err.splitlines() if line.startswith("BREACH"))
    pks = dict(Payment.objects.values_list("provider_id", "pk"))
    assert breaches == sorted(
        [
            f"BREACH stripe payment {pks['']}: succeeded here but has no Stripe id",
            f"BREACH stripe payment {pks['pi_nowhere']}: pi_nowhere is unknown at Stripe",
            f"BREACH stripe payment {pks[smaller.id]}: {smaller.id} is 500 USD at Stripe, "
            "700 USD here",
            f"BREACH stripe payment {pks[unpaid.id]}: {unpaid.id} is requires_payment_method "
            "at Stripe",
            f"BREACH stripe refund {refund.pk}: {partial.id} is 100 USD at Stripe, 300 USD here",
        ]
    )


def test_reconcile_of_a_refund_of_another_payment_is_a_breach(stripe_api, card, challenge, owner):
    first = challenge_fund(
        challenge_id=challenge.pk, actor=owner, payment_method=card(), amount=900
    )
    other = stripe_api.v1.payment_intents.create(
        {"amount": 900, "currency": "usd", "payment_method": card(), "confirm": True}
    )
    elsewhere = stripe_api.v1.refunds.create({"payment_intent": other.id, "amount": 900})
    refund = Refund.objects.create(
        payment=first, amount=900, from_funding=900, provider_id=elsewhere.id
    )
    refund_done(refund_id=refund.pk)

    _out, err, failed = audit("--reconcile")

    assert failed
    assert f"refunds {other.id} at Stripe, not {first.provider_id}" in err


def test_reconcile_with_stripe_unreachable_fails_without_conclusions(
    stripe_api, settings, challenge
):
    recorded_payment(challenge, 700, "pi_somewhere", "k1")
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.STRIPE_MAX_NETWORK_RETRIES = 0

    _out, err, failed = audit("--reconcile")

    assert "Stripe could not be reached" in failed
    assert "BREACH" not in err


def test_reconcile_with_no_stripe_money_asks_stripe_nothing(settings, challenge):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"

    out, _err, failed = audit("--reconcile")

    assert failed == ""
    assert "0 stripe payments, 0 stripe refunds" in out
