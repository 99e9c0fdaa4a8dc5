"""Stripe deliveries that are signed but cannot be applied. One that cannot be stored
(not a JSON object, nested too deeply, signed for a time in the future) is refused with
400; one that can is stored and, when its object is missing or of the wrong types or
applying it raised an error, marked failed with the reason and listed for staff: never
left pending, never a server error, no money moved."""

import copy
import json
import time

import pytest
from django.urls import reverse

from marketplace.challenges.models import ChallengeState
from marketplace.escrow.services import subject_of
from payouts.models import Entry, GatewayEvent, Payment, PaymentState
from payouts.services import inbox
from tests.factories import ChallengeFactory

from .conftest import WEBHOOK_SECRET, signature_header

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(settings, org, owner):
    """A Stripe payment of a challenge awaiting funding, waiting for Stripe's word."""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    challenge = ChallengeFactory(
        organization=org, created_by=owner, state=ChallengeState.AWAITING_FUNDING
    )
    return Payment.objects.create(
        subject=subject_of(challenge),
        gateway="stripe",
        amount=2_750_000,
        currency="USD",
        idempotency_key="pay:faults",
        provider_id="",
        created_by=owner,
    )


def succeeded(payment) -> dict:
    """The payment_intent.succeeded event Stripe sends for `payment`."""
    return {
        "id": "evt_faults",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {
            "object": {
                "id": "pi_faults",
                "object": "payment_intent",
                "amount": payment.amount,
                "currency": "usd",
                "status": "succeeded",
                "metadata": {"payment": str(payment.pk), "subject": payment.subject},
            }
        },
    }


def post(client, body: str, signature: str | None = None):
    return client.post(
        reverse("stripe_webhook"),
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature or signature_header(body),
    )


def deliver(client, capture, event: dict):
    with capture(execute=True):
        return post(client, json.dumps(event))


def test_the_event_as_stripe_sends_it_confirms_the_payment(
    client, django_capture_on_commit_callbacks, payment
):
    """The event the cases below break, whole: it applies."""
    assert (
        deliver(client, django_capture_on_commit_callbacks, succeeded(payment)).status_code == 200
    )
    payment.refresh_from_db()
    assert payment.state == PaymentState.SUCCEEDED
    assert GatewayEvent.objects.get().outcome == GatewayEvent.Outcome.PROCESSED


def _set(path: str, value):
    def change(event):
        *parents, last = path.split(".")
        target = event
        for key in parents:
            target = target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value

    return change


def _retype(event_type: str, path: str, value):
    def change(event):
        event["type"] = event_type
        _set(path, value)(event)

    return change


MALFORMED = {
    "no data": (_set("data", KeyError), "data.object is missing"),
    "data is a list": (_set("data", [1]), "data.object is missing"),
    "no object": (_set("data.object", KeyError), "data.object is missing"),
    "object is a list": (_set("data.object", ["pi_faults"]), "data.object is missing"),
    "amount is text": (_set("data.object.amount", "2750000"), "data.object.amount is not an"),
    "amount is true": (_set("data.object.amount", True), "data.object.amount is not an"),
    "id is a number": (_set("data.object.id", 12), "data.object.id is not a string"),
    "metadata is a list": (_set("data.object.metadata", ["payment"]), "data.object.metadata"),
    "metadata holds a number": (_set("data.object.metadata", {"payment": 7}), "metadata"),
    "error is text": (
        _retype("payment_intent.payment_failed", "data.object.last_payment_error", "declined"),
        "data.object.last_payment_error is not an object",
    ),
    "refunds are text": (
        _retype("charge.refunded", "data.object.refunds", "none"),
        "data.object.refunds is not an object",
    ),
    "refund list is an object": (
        _retype("charge.refunded", "data.object.refunds", {"data": {"id": "re_1"}}),
        "data.object.refunds.data is not a list",
    ),
    "reversed is text": (
        _retype("transfer.reversed", "data.object.reversed", "yes"),
        "data.object.reversed is not true or false",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_event_is_failed_with_the_reason(
    client, django_capture_on_commit_callbacks, payment, case
):
    change, reason = MALFORMED[case]
    event = copy.deepcopy(succeeded(payment))
    change(event)

    response = deliver(client, django_capture_on_commit_callbacks, event)

    assert response.status_code == 200
    stored = GatewayEvent.objects.get()
    assert stored.outcome == GatewayEvent.Outcome.FAILED
    assert stored.processed_at is not None
    assert stored.note.startswith("malformed event: ") and reason in stored.note, stored.note
    payment.refresh_from_db()
    assert (payment.state, payment.provider_id) == (PaymentState.PENDING, "")
    assert not Entry.objects.exists()


def test_an_error_while_applying_fails_the_event_and_undoes_its_changes(
    client, django_capture_on_commit_callbacks, payment, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the ledger is on fire")

    monkeypatch.setattr(inbox, "payment_confirm", broken)

    response = deliver(client, django_capture_on_commit_callbacks, succeeded(payment))

    assert response.status_code == 200
    stored = GatewayEvent.objects.get()
    assert stored.outcome == GatewayEvent.Outcome.FAILED
    assert stored.note == "could not be applied: RuntimeError: the ledger is on fire"
    payment.refresh_from_db()
    # The intent id it had learnt from the event before the error is rolled back too.
    assert (payment.state, payment.provider_id) == (PaymentState.PENDING, "")


def test_failed_events_are_listed_for_staff(
    client, django_capture_on_commit_callbacks, payment, staff
):
    event = succeeded(payment)
    event["data"]["object"]["amount"] = "lots"
    deliver(client, django_capture_on_commit_callbacks, event)

    client.force_login(staff)
    page = client.get(reverse("ledger_events"))

    assert page.status_code == 200
    assert b"evt_faults" in page.content
    assert b"data.object.amount is not an integer" in page.content


REFUSED = {
    "signed in the future": lambda: (
        '{"id": "evt_1", "type": "x"}',
        signature_header('{"id": "evt_1", "type": "x"}', timestamp=int(time.time()) + 3600),
    ),
    "nested too deeply": lambda: ("[" * 5000, signature_header("[" * 5000)),
    "null": lambda: ("null", signature_header("null")),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_delivery_that_cannot_be_stored_is_refused(client, settings, case):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    body, signature = REFUSED[case]()

    assert post(client, body, signature).status_code == 400
    assert not GatewayEvent.objects.exists()


def test_a_signature_within_the_tolerance_ahead_is_taken(client, settings):
    """Clocks differ a little: a minute ahead is fine."""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    body = '{"id": "evt_clock", "type": "customer.created"}'
    signature = signature_header(body, timestamp=int(time.time()) + 60)

    assert post(client, body, signature).status_code == 200
    assert GatewayEvent.objects.get().event_id == "evt_clock"
