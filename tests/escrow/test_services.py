"""The rules of `challenge_fund`, one request after another: a payment on its way
counts as paid, so a new request answers with it or pays only what is still due; a
failed payment no longer counts; an amount above what is due is refused; a replayed
request reports what really happened to the first one's payment."""

import pytest
from django.db import transaction

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition
from marketplace.escrow.services import challenge_fund, funding_due, subject_of
from payouts.gateways import GatewayUnavailable
from payouts.gateways.base import PaymentOutcome
from payouts.gateways.local import LocalGateway
from payouts.models import Entry, Payment, PaymentState
from payouts.services.payments import payment_confirm, payment_fail, payment_record
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

TOTAL = 2_750_000  # pool 25,000.00 + fee 2,500.00


@pytest.fixture
def awaiting(org, owner):
    return ChallengeFactory(organization=org, created_by=owner, state=S.AWAITING_FUNDING)


@pytest.fixture
def card_form(monkeypatch):
    """The gateway answers like Stripe without a payment method: the payment waits for
    the payer to confirm it with its client secret. Returns the calls it received."""
    calls = []

    def start(self, payment, payment_method=None):
        calls.append(payment.pk)
        return PaymentOutcome(
            status="pending",
            provider_id=f"pi_{payment.pk}",
            client_secret=f"pi_{payment.pk}_secret",
            next_action="confirm_card_payment",
        )

    monkeypatch.setattr(LocalGateway, "start_payment", start)
    return calls


def fund(challenge, actor, **kwargs) -> Payment:
    return challenge_fund(challenge_id=challenge.pk, actor=actor, **kwargs)


def refused(challenge, actor, **kwargs) -> IllegalTransition:
    before = list(Payment.objects.values_list("pk", "state"))
    with pytest.raises(IllegalTransition) as exc:
        fund(challenge, actor, **kwargs)
    assert list(Payment.objects.values_list("pk", "state")) == before
    return exc.value


class TestAPaymentOnItsWay:
    @pytest.mark.parametrize("key", [None, "second-key"])
    def test_a_second_request_answers_with_it(self, awaiting, owner, manager, card_form, key):
        first = fund(awaiting, owner, idempotency_key="first-key")
        again = fund(awaiting, manager, idempotency_key=key)
        assert again.pk == first.pk
        assert (again.state, again.amount, again.client_secret) == (
            PaymentState.PENDING,
            TOTAL,
            f"pi_{first.pk}_secret",
        )
        assert Payment.objects.count() == 1
        assert card_form == [first.pk]  # the provider was asked once
        assert funding_due(awaiting)["received"] == 0

    def test_a_request_without_an_amount_pays_only_the_rest(self, awaiting, owner, card_form):
        part = fund(awaiting, owner, amount=1_000_000)
        rest = fund(awaiting, owner)
        assert rest.pk != part.pk
        assert rest.amount == TOTAL - 1_000_000
        assert fund(awaiting, owner).pk == rest.pk  # the newest on its way
        assert sorted(Payment.objects.values_list("amount", flat=True)) == [1_000_000, 1_750_000]

    def test_an_amount_above_what_is_due_is_refused(self, awaiting, owner, card_form):
        fund(awaiting, owner, amount=1_000_000)
        error = refused(awaiting, owner, amount=1_750_001)
        assert (error.code, error.state) == ("exceeds_due", S.AWAITING_FUNDING)
        assert error.message == (
            "The amount is more than is still due: $17,500.00, counting payments that are "
            "on their way."
        )
        assert fund(awaiting, owner, amount=1_750_000).amount == 1_750_000
        assert refused(awaiting, owner, amount=1).code == "exceeds_due"

    def test_once_it_failed_a_new_request_starts_a_new_payment(self, awaiting, owner, card_form):
        abandoned = fund(awaiting, owner)
        payment_fail(payment_id=abandoned.pk, message="The payer cancelled.")
        fresh = fund(awaiting, owner)
        assert fresh.pk != abandoned.pk
        assert (fresh.amount, fresh.state) == (TOTAL, PaymentState.PENDING)
        assert card_form == [abandoned.pk, fresh.pk]

    def test_once_it_succeeded_nothing_is_due(self, awaiting, owner, card_form):
        payment = fund(awaiting, owner)
        payment_confirm(payment_id=payment.pk)
        assert refused(awaiting, owner).code == "already_funded"
        assert refused(awaiting, owner, amount=1).code == "exceeds_due"
        assert funding_due(awaiting)["received"] == TOTAL


class TestAReplayedRequest:
    def test_while_the_first_waits_for_the_gateway_it_reports_the_real_outcome(
        self, awaiting, owner
    ):
        """The first request recorded its payment and is still waiting for the gateway:
        the replay sends the same payment under the same key and answers with the
        confirmed outcome, not "pending"."""
        with transaction.atomic():
            first = payment_record(
                subject=subject_of(awaiting),
                amount=TOTAL,
                currency="USD",
                actor=owner,
                gateway="local",
                idempotency_key="k1",
            )
        replay = fund(awaiting, owner, idempotency_key="k1")
        assert (replay.pk, replay.state) == (first.pk, PaymentState.SUCCEEDED)
        assert replay.provider_id == f"local_pay_{first.pk}"
        assert Entry.objects.filter(kind="fund").count() == 1
        assert funding_due(awaiting)["received"] == TOTAL

    def test_a_payment_the_gateway_never_answered_for_is_sent_again_by_any_request(
        self, awaiting, owner, monkeypatch
    ):
        def down(self, payment, payment_method=None):
            raise GatewayUnavailable("timed out")

        monkeypatch.setattr(LocalGateway, "start_payment", down)
        with pytest.raises(GatewayUnavailable):
            fund(awaiting, owner)
        lost = Payment.objects.get()
        monkeypatch.undo()
        payment = fund(awaiting, owner, idempotency_key="after-the-outage")
        assert (payment.pk, payment.state) == (lost.pk, PaymentState.SUCCEEDED)
        assert Payment.objects.count() == 1

    def test_a_declined_first_payment_is_the_answer_and_a_new_key_pays_again(
        self, awaiting, owner, monkeypatch
    ):
        monkeypatch.setattr(
            LocalGateway,
            "start_payment",
            lambda self, payment, payment_method=None: PaymentOutcome(
                status="failed", provider_id=f"pi_{payment.pk}", failure_message="Declined."
            ),
        )
        declined = fund(awaiting, owner, idempotency_key="k1")
        monkeypatch.undo()
        replay = fund(awaiting, owner, idempotency_key="k1")
        assert (replay.pk, replay.state, replay.failure_message) == (
            declined.pk,
            PaymentState.FAILED,
            "Declined.",
        )
        paid = fund(awaiting, owner, idempotency_key="k2")
        assert (paid.amount, paid.state) == (TOTAL, PaymentState.SUCCEEDED)

    def test_the_answer_stays_the_first_payment_after_the_challenge_moved_on(self, org, owner):
        challenge = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING)
        paid = fund(challenge, owner, idempotency_key="k1")
        Challenge.objects.filter(pk=challenge.pk).update(state=S.OPEN)
        assert fund(challenge, owner, idempotency_key="k1").pk == paid.pk
        assert refused(challenge, owner, idempotency_key="k2").code == "not_awaiting_funding"
