"""Stripe webhooks: verified, stored once, applied once, in whatever order they come."""

import copy
import json
import threading
import time

import pytest
import stripe
from django.db import connection
from django.urls import reverse

from marketplace.challenges.models import ChallengeState
from marketplace.escrow.services import challenge_fund, subject_of
from marketplace.lifecycle.services import challenge_transition
from payouts.gateways import GatewayUnavailable
from payouts.models import Entry, GatewayEvent, Payment, PaymentState, Refund, RefundState
from payouts.selectors import balance_of
from payouts.services.payments import payment_confirm
from tests.conftest import skip_unless
from tests.factories import ChallengeFactory
from tests.stripe_fakes import confirm_with_card

from .conftest import DECLINED_CARD, refund_event, signature_header

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(org, owner):
    return ChallengeFactory(
        organization=org, created_by=owner, state=ChallengeState.AWAITING_FUNDING
    )


@pytest.fixture
def pending(stripe_api, awaiting, owner):
    """A payment waiting for the payer to confirm it in the browser."""
    payment = challenge_fund(challenge_id=awaiting.pk, actor=owner)
    assert payment.state == PaymentState.PENDING
    return payment


@pytest.fixture
def pay_in_browser(stripe_api, card):
    """What Stripe.js does with the client secret: attach the card and confirm."""

    def pay(payment, number="4242424242424242"):
        stripe_api.v1.payment_intents.update(payment.provider_id, {"payment_method": card(number)})
        stripe_api.v1.payment_intents.confirm(payment.provider_id)

    return pay


def failure_of(succeeded: dict) -> dict:
    """The payment_failed event Stripe sends for the same intent after a declined try."""
    event = copy.deepcopy(succeeded)
    event["id"] = succeeded["id"] + "_failed"
    event["type"] = "payment_intent.payment_failed"
    intent = event["data"]["object"]
    intent["status"] = "requires_payment_method"
    intent["last_payment_error"] = {"code": "card_declined", "message": "Your card was declined."}
    return event


def test_a_confirmed_payment_is_posted_when_stripe_reports_it(
    pending, pay_in_browser, stripe_event, deliver, awaiting
):
    pay_in_browser(pending)
    response = deliver(stripe_event("payment_intent.succeeded", pending.provider_id))

    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.state == PaymentState.SUCCEEDED
    assert balance_of(subject_of(awaiting), "funding") == pending.amount
    event = GatewayEvent.objects.get()
    assert (event.gateway, event.type, event.outcome) == (
        "stripe",
        "payment_intent.succeeded",
        "processed",
    )
    assert event.payload["data"]["object"]["id"] == pending.provider_id


BAD_DELIVERIES = {
    "wrong secret": lambda body: (body, signature_header(body, "whsec_other")),
    "tampered body": lambda body: (body.replace('"usd"', '"eur"'), signature_header(body)),
    "stale": lambda body: (body, signature_header(body, timestamp=int(time.time()) - 3600)),
    "empty header": lambda body: (body, ""),
    "not JSON": lambda body: ("{not json", signature_header("{not json")),
    "not an object": lambda body: ("[1, 2]", signature_header("[1, 2]")),
    "no id": lambda body: ('{"type": "x"}', signature_header('{"type": "x"}')),
}


@pytest.mark.parametrize("case", list(BAD_DELIVERIES))
def test_a_bad_webhook_is_refused_and_nothing_stored(
    case, pending, pay_in_browser, stripe_event, client
):
    pay_in_browser(pending)
    event = stripe_event("payment_intent.succeeded", pending.provider_id)
    body, signature = BAD_DELIVERIES[case](json.dumps(event))

    response = client.post(
        reverse("stripe_webhook"),
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )

    assert response.status_code == 400
    assert not GatewayEvent.objects.exists()
    pending.refresh_from_db()
    assert pending.state == PaymentState.PENDING


def test_a_webhook_without_signature_is_refused(stripe_api, client):
    response = client.post(reverse("stripe_webhook"), "{}", content_type="application/json")
    assert response.status_code == 400
    assert not GatewayEvent.objects.exists()


def test_the_webhook_only_takes_post(stripe_api, client):
    assert client.get(reverse("stripe_webhook")).status_code == 405


@pytest.mark.parametrize("metadata", [{}, {"payment": "999999"}])
def test_a_webhook_for_an_unknown_payment_is_stored_and_flagged(
    stripe_api, card, stripe_event, deliver, metadata
):
    """A PaymentIntent made outside this platform (say, in Stripe's dashboard)."""
    intent = stripe_api.v1.payment_intents.create(
        {
            "amount": 5000,
            "currency": "usd",
            "payment_method": card(),
            "confirm": True,
            "metadata": metadata,
        }
    )

    response = deliver(stripe_event("payment_intent.succeeded", intent.id))

    assert response.status_code == 200
    event = GatewayEvent.objects.get()
    assert event.outcome == GatewayEvent.Outcome.UNKNOWN
    assert event.processed_at is not None
    assert intent.id in event.note
    assert not Entry.objects.exists()
    assert not Payment.objects.exists()


@pytest.mark.parametrize("failure_at", range(6))
def test_the_same_success_five_times_and_a_failure_in_any_order_fund_once(
    pending, pay_in_browser, stripe_event, deliver, awaiting, failure_at
):
    pay_in_browser(pending)
    succeeded = stripe_event("payment_intent.succeeded", pending.provider_id)
    deliveries = [succeeded] * 5
    deliveries.insert(failure_at, failure_of(succeeded))

    responses = [deliver(event) for event in deliveries]

    assert [r.status_code for r in responses] == [200] * 6
    assert GatewayEvent.objects.count() == 2
    assert set(GatewayEvent.objects.values_list("outcome", flat=True)) == {"processed"}
    pending.refresh_from_db()
    assert pending.state == PaymentState.SUCCEEDED
    assert Entry.objects.filter(kind="fund").count() == 1
    assert balance_of(subject_of(awaiting), "funding") == pending.amount


def test_a_declined_try_leaves_the_payment_on_its_way_for_another_card(
    pending, pay_in_browser, stripe_event, deliver, awaiting, owner, localstripe_url
):
    with pytest.raises(stripe.CardError):
        pay_in_browser(pending, DECLINED_CARD)

    deliver(stripe_event("payment_intent.payment_failed", pending.provider_id))

    assert GatewayEvent.objects.get().outcome == GatewayEvent.Outcome.PROCESSED
    pending.refresh_from_db()
    assert pending.state == PaymentState.PENDING
    assert not Entry.objects.exists()
    # Funding again answers with the same payment, and the next card pays it.
    assert challenge_fund(challenge_id=awaiting.pk, actor=owner).pk == pending.pk
    assert confirm_with_card(localstripe_url, pending.client_secret)["status"] == "succeeded"
    deliver(stripe_event("payment_intent.succeeded", pending.provider_id))
    pending.refresh_from_db()
    assert pending.state == PaymentState.SUCCEEDED
    assert Entry.objects.filter(kind="fund").count() == 1


def test_a_success_for_another_amount_is_flagged_and_not_posted(
    pending, pay_in_browser, stripe_event, deliver
):
    pay_in_browser(pending)
    event = stripe_event("payment_intent.succeeded", pending.provider_id)
    event["data"]["object"]["amount"] = pending.amount - 1

    deliver(event)

    assert GatewayEvent.objects.get().outcome == GatewayEvent.Outcome.FAILED
    pending.refresh_from_db()
    assert pending.state == PaymentState.PENDING
    assert not Entry.objects.exists()


def test_a_payment_whose_answer_was_lost_learns_its_intent_from_the_webhook(
    flaky_stripe, stripe_api, card, stripe_event, deliver, awaiting, owner, settings
):
    """Stripe charged, but its answer never arrived: the payment knows no intent id
    until the webhook names it (through the payment id in the intent's metadata)."""
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    flaky_stripe.faults = ["lost"]
    with pytest.raises(GatewayUnavailable):
        challenge_fund(challenge_id=awaiting.pk, actor=owner, payment_method=card())
    payment = Payment.objects.get()
    assert (payment.state, payment.provider_id) == (PaymentState.PENDING, "")
    (intent,) = stripe_api.v1.payment_intents.list().data

    deliver(stripe_event("payment_intent.succeeded", intent.id))

    payment.refresh_from_db()
    assert (payment.state, payment.provider_id) == (PaymentState.SUCCEEDED, intent.id)
    assert Entry.objects.filter(kind="fund").count() == 1


def test_a_refund_reported_before_its_payment_waits_for_it(
    pending, pay_in_browser, stripe_api, stripe_event, deliver, awaiting
):
    """A refund reported done before this platform has processed its payment's
    success cannot be posted yet (the money is not in the funding account): the event
    stays pending and is applied as soon as the payment's success is."""
    pay_in_browser(pending)
    at_stripe = stripe_api.v1.refunds.create(
        {"payment_intent": pending.provider_id, "amount": pending.amount}
    )
    refund = Refund.objects.create(
        payment=pending,
        amount=pending.amount,
        from_funding=pending.amount,
        provider_id=at_stripe.id,
    )

    deliver(refund_event(refund))

    early = GatewayEvent.objects.get()
    assert early.outcome == GatewayEvent.Outcome.PENDING
    assert "waits" in early.note
    assert not Entry.objects.exists()

    deliver(stripe_event("payment_intent.succeeded", pending.provider_id))

    early.refresh_from_db()
    assert early.outcome == GatewayEvent.Outcome.PROCESSED
    refund.refresh_from_db()
    assert refund.state == RefundState.SUCCEEDED
    assert sorted(Entry.objects.values_list("kind", flat=True)) == ["fund", "refund"]
    assert balance_of(subject_of(awaiting), "funding") == 0


@pytest.fixture
def refund_under_way(stripe_api, card, awaiting, owner, staff):
    """A funded challenge cancelled before opening: its refund is created but not sent."""
    payment = challenge_fund(challenge_id=awaiting.pk, actor=owner, payment_method=card())
    challenge_transition(challenge_id=awaiting.pk, name="cancel", actor=staff, reason="Withdrawn")
    return Refund.objects.get(payment=payment)


def test_a_failed_refund_is_marked_failed_and_posts_nothing(refund_under_way, deliver, awaiting):
    deliver(refund_event(refund_under_way, status="failed"))

    refund_under_way.refresh_from_db()
    assert refund_under_way.state == RefundState.FAILED
    assert refund_under_way.failure_message == "expired_or_canceled_card"
    assert not Entry.objects.filter(kind="refund").exists()
    assert balance_of(subject_of(awaiting), "funding") == refund_under_way.amount


def test_a_refund_done_reported_by_webhook_is_posted_once(refund_under_way, deliver, awaiting):
    deliver(refund_event(refund_under_way, event_id="evt_a"))
    deliver(refund_event(refund_under_way, event_id="evt_b"))

    refund_under_way.refresh_from_db()
    assert refund_under_way.state == RefundState.SUCCEEDED
    assert Entry.objects.filter(kind="refund").count() == 1
    assert balance_of(subject_of(awaiting), "funding") == 0


def test_a_failure_after_a_recorded_refund_is_flagged_not_undone(
    refund_under_way, deliver, awaiting
):
    deliver(refund_event(refund_under_way, event_id="evt_done"))
    deliver(refund_event(refund_under_way, status="failed", event_id="evt_failed"))

    refund_under_way.refresh_from_db()
    assert refund_under_way.state == RefundState.SUCCEEDED
    assert GatewayEvent.objects.get(event_id="evt_failed").outcome == GatewayEvent.Outcome.FAILED
    assert Entry.objects.filter(kind="refund").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_racing_confirmations_post_once(awaiting, owner):
    skip_unless(connection.vendor == "postgresql", "row locks need PostgreSQL", service="postgres")
    payment = Payment.objects.create(
        subject=subject_of(awaiting),
        gateway="stripe",
        amount=2_750_000,
        currency="USD",
        idempotency_key="pay:race",
        provider_id="pi_race",
        created_by=owner,
    )
    start = threading.Barrier(2)
    errors = []

    def confirm():
        try:
            start.wait()
            payment_confirm(payment_id=payment.pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert Entry.objects.filter(kind="fund").count() == 1
    assert balance_of(subject_of(awaiting), "funding") == 2_750_000
    payment.refresh_from_db()
    assert payment.state == PaymentState.SUCCEEDED
