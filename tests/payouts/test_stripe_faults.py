"""A Stripe that times out, drops connections or answers 500: every retry, the
library's own and ours, carries the same idempotency key, so money moves once."""

import pytest

from marketplace.challenges.models import ChallengeState
from marketplace.escrow.services import challenge_fund, subject_of
from marketplace.lifecycle.services import challenge_transition
from payouts.gateways import GatewayUnavailable
from payouts.models import Entry, Payment, PaymentState, Refund, RefundState
from payouts.selectors import balance_of
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

INTENTS = "/v1/payment_intents"


@pytest.fixture
def awaiting(org, owner):
    return ChallengeFactory(
        organization=org, created_by=owner, state=ChallengeState.AWAITING_FUNDING
    )


def assert_funded_once(stripe_api, payment, challenge):
    intents = stripe_api.v1.payment_intents.list().data
    assert [(i.id, i.status) for i in intents] == [(payment.provider_id, "succeeded")]
    assert payment.state == PaymentState.SUCCEEDED
    assert Entry.objects.filter(kind="fund").count() == 1
    assert balance_of(subject_of(challenge), "funding") == payment.amount


@pytest.mark.parametrize("fault", ["hang", "reset", "500"])
def test_the_library_retries_with_the_same_key(
    flaky_stripe, stripe_api, card, awaiting, owner, fault
):
    flaky_stripe.faults = [fault]

    payment = challenge_fund(challenge_id=awaiting.pk, actor=owner, payment_method=card())

    assert flaky_stripe.keys("POST", INTENTS) == [payment.idempotency_key] * 2
    assert_funded_once(stripe_api, payment, awaiting)


@pytest.mark.parametrize("faults", [["lost", "reset", "hang"], ["500", "500", "500"]])
def test_an_unreachable_stripe_leaves_the_payment_pending_until_retried(
    flaky_stripe, stripe_api, card, awaiting, owner, faults
):
    """Three failed attempts (the first and two library retries): the payment stays
    pending and nothing is posted. Funding again with the client's idempotency key
    sends the same Idempotency-Key, so a charge that did happen is not repeated."""
    method = card()
    flaky_stripe.faults = list(faults)

    with pytest.raises(GatewayUnavailable):
        challenge_fund(
            challenge_id=awaiting.pk, actor=owner, payment_method=method, idempotency_key="k1"
        )

    pending = Payment.objects.get(subject=subject_of(awaiting))
    assert (pending.state, pending.provider_id) == (PaymentState.PENDING, "")
    assert pending.failure_message
    assert not Entry.objects.exists()

    payment = challenge_fund(
        challenge_id=awaiting.pk, actor=owner, payment_method=method, idempotency_key="k1"
    )

    assert payment.pk == pending.pk
    assert flaky_stripe.keys("POST", INTENTS) == [payment.idempotency_key] * 4
    assert_funded_once(stripe_api, payment, awaiting)


def test_a_key_reused_with_another_card_is_a_try_again_later(
    flaky_stripe, stripe_api, card, awaiting, owner
):
    """Stripe refuses a payment's key sent again with other parameters (another request
    sending the same payment with another card): nothing is known to have happened, so
    the caller is told to try again (the API's 503), never a server error; the retry
    with the first card is answered."""
    method = card()
    flaky_stripe.faults = ["idempotency"]
    with pytest.raises(GatewayUnavailable):
        challenge_fund(
            challenge_id=awaiting.pk, actor=owner, payment_method=method, idempotency_key="k1"
        )
    assert Payment.objects.get().state == PaymentState.PENDING
    payment = challenge_fund(
        challenge_id=awaiting.pk, actor=owner, payment_method=method, idempotency_key="k1"
    )
    assert_funded_once(stripe_api, payment, awaiting)


def test_refund_is_sent_with_its_own_idempotency_key(
    flaky_stripe, stripe_api, card, awaiting, owner, staff, django_capture_on_commit_callbacks
):
    payment = challenge_fund(challenge_id=awaiting.pk, actor=owner, payment_method=card())
    flaky_stripe.faults = ["500"]

    with django_capture_on_commit_callbacks(execute=True):
        challenge_transition(
            challenge_id=awaiting.pk, name="cancel", actor=staff, reason="Sponsor withdrew"
        )

    refund = Refund.objects.get(payment=payment)
    assert refund.state == RefundState.SUCCEEDED
    assert refund.from_funding == payment.amount
    assert flaky_stripe.keys("POST", "/v1/refunds") == [f"refund:{refund.pk}"] * 2
    assert len(stripe_api.v1.refunds.list({"payment_intent": payment.provider_id}).data) == 1
    assert balance_of(subject_of(awaiting), "funding") == 0
