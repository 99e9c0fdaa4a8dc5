"""Funding through the real stripe library against localstripe."""

from io import StringIO

import pytest
from django.core.management import call_command

from marketplace.challenges.models import ChallengeState
from marketplace.escrow.services import challenge_fund, funding_due, subject_of
from marketplace.lifecycle.services import challenge_transition
from payouts.gateways.stripe import StripeGateway
from payouts.models import Entry, GatewayEvent, PaymentState, Refund
from payouts.selectors import balance_of, statement
from tests.factories import ChallengeFactory

from .conftest import DECLINED_CARD, refund_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(org, owner):
    return ChallengeFactory(
        organization=org, created_by=owner, state=ChallengeState.AWAITING_FUNDING
    )


def test_funding_flow_against_localstripe(
    stripe_api,
    card,
    awaiting,
    owner,
    staff,
    django_capture_on_commit_callbacks,
    stripe_event,
    deliver,
):
    due = funding_due(awaiting)
    subject = subject_of(awaiting)

    payment = challenge_fund(challenge_id=awaiting.pk, actor=owner, payment_method=card())

    assert (payment.state, payment.gateway, payment.test_money) == ("succeeded", "stripe", True)
    intent = stripe_api.v1.payment_intents.retrieve(payment.provider_id)
    assert (intent.status, intent.amount, intent.currency) == ("succeeded", due["total"], "usd")
    assert intent.metadata.to_dict() == {"subject": subject, "payment": str(payment.pk)}
    assert balance_of(subject, "funding") == due["pool"] + due["fee"]

    challenge_transition(challenge_id=awaiting.pk, name="open", actor=owner)
    assert balance_of(subject, "escrow") == due["pool"]
    assert balance_of(subject, "funding") == 0

    with django_capture_on_commit_callbacks(execute=True):
        challenge_transition(
            challenge_id=awaiting.pk, name="cancel", actor=staff, reason="Sponsor withdrew"
        )

    refund = Refund.objects.get(payment=payment)
    assert (refund.state, refund.amount, refund.from_escrow) == (
        "succeeded",
        due["pool"],
        due["pool"],
    )
    at_stripe = stripe_api.v1.refunds.list({"payment_intent": payment.provider_id}).data
    assert [(r.id, r.amount, r.status, r.metadata["refund"]) for r in at_stripe] == [
        (refund.provider_id, due["pool"], "succeeded", str(refund.pk))
    ]

    # Stripe's webhooks arrive after the synchronous answers and change nothing.
    deliver(stripe_event("payment_intent.succeeded", payment.provider_id))
    deliver(refund_event(refund))
    assert set(GatewayEvent.objects.values_list("outcome", flat=True)) == {"processed"}
    assert sorted(Entry.objects.values_list("kind", flat=True)) == ["fund", "open", "refund"]

    s = statement(subject)
    assert {k: s[k] for k in ("received", "fee", "held", "refunded", "unallocated")} == {
        "received": due["total"],
        "fee": due["fee"],
        "held": 0,
        "refunded": due["pool"],
        "unallocated": 0,
    }
    assert s["balanced"]
    out = StringIO()
    call_command("ledger_audit", stdout=out)
    assert "ledger clean" in out.getvalue()
    out = StringIO()
    call_command("ledger_audit", "--reconcile", stdout=out)
    assert "ledger clean" in out.getvalue()
    assert "1 stripe payments, 1 stripe refunds" in out.getvalue()


def test_declined_card_fails_the_payment_and_moves_no_money(stripe_api, card, awaiting, owner):
    payment = challenge_fund(
        challenge_id=awaiting.pk, actor=owner, payment_method=card(DECLINED_CARD)
    )

    assert payment.state == PaymentState.FAILED
    assert payment.failure_message == "Your card was declined."
    assert not Entry.objects.exists()
    assert funding_due(awaiting)["received"] == 0


def test_payment_without_a_method_waits_for_the_payer(stripe_api, awaiting, owner):
    payment = challenge_fund(challenge_id=awaiting.pk, actor=owner)

    assert payment.state == PaymentState.PENDING
    intent = stripe_api.v1.payment_intents.retrieve(payment.provider_id)
    assert intent.status == "requires_payment_method"
    assert payment.client_secret == intent.client_secret
    assert not Entry.objects.exists()


@pytest.mark.parametrize(("key", "test_money"), [("sk_test_abc", True), ("sk_live_abc", False)])
def test_only_a_test_key_makes_test_money(settings, key, test_money):
    settings.STRIPE_SECRET_KEY = key
    assert StripeGateway().test_money is test_money
