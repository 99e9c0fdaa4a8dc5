"""Funding with the stripe gateway against localstripe, where a payment waits for the
payer's card: twenty requests at once (PostgreSQL) start one PaymentIntent of what is
due and every answer names it; a payer who abandons the card form gets the same intent
back until Stripe cancels it, and only then does a request start a new one."""

import copy
import threading
from collections import defaultdict

import pytest
from django.db import connection

from marketplace.challenges.models import ChallengeState
from marketplace.escrow.services import challenge_fund, funding_due
from payouts.models import Entry, GatewayEvent, Payment, PaymentState
from tests.conftest import skip_unless
from tests.escrow.test_api_concurrency import THREADS, fund_at_once
from tests.factories import ChallengeFactory

from .conftest import FlakyStripe, recorded

TOTAL = 2_750_000  # pool 25,000.00 + fee 2,500.00
INTENTS = "/v1/payment_intents"


class OneAnswerPerKey(FlakyStripe):
    """Stripe's idempotency, which localstripe lacks, for requests that arrive together:
    those with the same Idempotency-Key take turns, so a repeat gets the first answer.
    (Stripe answers a concurrent repeat with a 409 that its library retries until the
    first answer is there: the outcome is the same.)"""

    def __init__(self, upstream: str):
        super().__init__(upstream, hang_seconds=0)
        self.turns: dict[str, threading.Lock] = defaultdict(threading.Lock)

    def handle(self, request):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return super().handle(request)
        with self.lock:
            turn = self.turns[key]
        with turn:
            return super().handle(request)


@pytest.fixture
def stripe_front(settings, stripe_api, localstripe_url):
    proxy = OneAnswerPerKey(localstripe_url)
    settings.STRIPE_API_BASE = proxy.url
    yield proxy
    proxy.stop()


@pytest.fixture
def awaiting(org, owner):
    return ChallengeFactory(
        organization=org, created_by=owner, state=ChallengeState.AWAITING_FUNDING
    )


def canceled_event(intent) -> dict:
    """The payment_intent.canceled event Stripe sends for `intent` (localstripe sends
    none), in the shape of a recorded event."""
    event = copy.deepcopy(recorded("refund_updated_event.json"))
    event.update(id=f"evt_canceled_{intent.id}", type="payment_intent.canceled")
    event["data"] = {"object": intent.to_dict()}
    return event


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "keys",
    [
        pytest.param([f"order-{i}" for i in range(THREADS)], id="different keys"),
        pytest.param([None] * THREADS, id="no key"),
        pytest.param(["order-1"] * THREADS, id="one shared key"),
    ],
)
def test_twenty_requests_at_once_start_one_intent_and_all_name_it(
    stripe_front, stripe_api, awaiting, owner, keys
):
    skip_unless(connection.vendor == "postgresql", "row locks need PostgreSQL", service="postgres")

    results = fund_at_once(awaiting, owner, keys)

    payment = Payment.objects.get()
    (intent,) = stripe_api.v1.payment_intents.list().data
    assert (intent.id, intent.amount, intent.status) == (
        payment.provider_id,
        TOTAL,
        "requires_payment_method",
    )
    assert (payment.amount, payment.state, payment.client_secret) == (
        TOTAL,
        PaymentState.PENDING,
        intent.client_secret,
    )
    answers = {
        (status, body["payment"]["id"], body["next_action"], body["client_secret"])
        for status, body in results
    }
    assert answers == {(201, payment.pk, "confirm_card_payment", intent.client_secret)}
    assert set(stripe_front.keys("POST", INTENTS)) == {payment.idempotency_key}
    assert funding_due(awaiting)["received"] == 0


@pytest.mark.django_db
def test_an_abandoned_card_payment_is_the_answer_until_stripe_cancels_it(
    stripe_api, awaiting, owner, manager, deliver
):
    abandoned = challenge_fund(challenge_id=awaiting.pk, actor=owner)
    again = challenge_fund(challenge_id=awaiting.pk, actor=manager, idempotency_key="later")
    assert (again.pk, again.client_secret) == (abandoned.pk, abandoned.client_secret)

    intent = stripe_api.v1.payment_intents.cancel(abandoned.provider_id)
    deliver(canceled_event(intent))

    assert GatewayEvent.objects.get().outcome == GatewayEvent.Outcome.PROCESSED
    abandoned.refresh_from_db()
    assert abandoned.state == PaymentState.FAILED
    fresh = challenge_fund(challenge_id=awaiting.pk, actor=owner)
    assert fresh.pk != abandoned.pk
    assert (fresh.amount, fresh.state) == (TOTAL, PaymentState.PENDING)
    intents = stripe_api.v1.payment_intents.list().data
    assert sorted((i.id, i.status) for i in intents) == sorted(
        [(abandoned.provider_id, "canceled"), (fresh.provider_id, "requires_payment_method")]
    )
    assert not Entry.objects.exists()
