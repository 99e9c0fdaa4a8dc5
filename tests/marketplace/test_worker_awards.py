"""The money end of the award story through a real Celery worker on Redis: payouts,
certificates, completion and the refund all happen in the worker; and a worker killed
in the middle of a Stripe transfer pays the award exactly once after the task comes
back (late acknowledgement + the broker's visibility timeout + the idempotency key)."""

import threading

import pytest

from legal.models import Certificate
from marketplace.awards.models import AwardState
from marketplace.awards.services.finalize import awards_finalize
from marketplace.awards.services.release import awards_recheck_for
from marketplace.challenges.models import Challenge, ChallengeState
from payouts.models import Entry, Payout, PayoutState, Refund
from payouts.selectors import statement
from tests.payouts.conftest import CONNECTED, SECRET_KEY, TRANSFERS, StripeTransfers
from tests.story import FEE, PARTIAL, PLANNED, POOL, REFUND, awarding, claim_both, propose_both
from tests.worker import running_worker, tasks_to_broker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

VISIBILITY = {"CELERY_VISIBILITY_TIMEOUT_SECONDS": "3", "CELERY_RESTORE_EVERY_SECONDS": "1"}


def state_of(award) -> str:
    return type(award).objects.get(pk=award.pk).state


def test_the_worker_pays_certifies_completes_and_refunds(tmp_path):
    people = awarding()
    awards = propose_both(people)
    claim_both(people, awards, recheck=False)
    assert [state_of(a) for a in awards] == [AwardState.DEED_SIGNED] * 2
    awards_finalize(challenge_id=people.challenge.pk, actor=people.owner)

    with running_worker(tmp_path, env=VISIBILITY), tasks_to_broker():
        for solver in people.solvers:  # verified, so released: the worker pays
            awards_recheck_for(user=solver)
        assert wait_for(lambda: all(state_of(a) == AwardState.PAID for a in awards))
        assert wait_for(lambda: Certificate.objects.filter(generated_at__isnull=False).count() == 2)
        assert wait_for(lambda: Refund.objects.filter(state="succeeded").count() == 1)

    challenge = Challenge.objects.get(pk=people.challenge.pk)
    assert challenge.state == ChallengeState.COMPLETED
    paid = {p.payee: p.amount for p in Payout.objects.filter(state=PayoutState.SUCCEEDED)}
    assert paid == dict(zip(people.solvers, (PLANNED[0], PARTIAL), strict=True))
    for certificate in Certificate.objects.all():
        with certificate.pdf.open("rb") as pdf:
            assert pdf.read().startswith(b"%PDF")
    assert Refund.objects.get().amount == REFUND
    figures = statement(f"challenge:{challenge.pk}")
    assert (figures["received"], figures["fee"], figures["held"], figures["owed"]) == (
        POOL + FEE,
        FEE,
        0,
        0,
    )
    assert (figures["paid"], figures["refunded"], figures["balanced"]) == (
        PLANNED[0] + PARTIAL,
        REFUND,
        True,
    )


class HeldTransfers(StripeTransfers):
    """Stripe's Transfers API that holds the first transfer request: it records the
    request, says so (`arrived`) and hangs until `released`; then it makes the transfer
    at "Stripe" and keeps the answer under the Idempotency-Key, but the caller, killed
    meanwhile, never hears it."""

    def __init__(self):
        super().__init__(hang_seconds=0, accounts={CONNECTED})
        self.arrived = threading.Event()
        self.released = threading.Event()
        self.faults = ["lost"]

    def forward(self, request, body: bytes):
        if not self.arrived.is_set():
            self.arrived.set()
            self.released.wait(timeout=120)
        return super().forward(request, body)


@pytest.fixture
def held_transfers(settings):
    proxy = HeldTransfers()
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_API_BASE = proxy.url
    yield proxy
    proxy.released.set()
    proxy.stop()


def test_a_worker_killed_in_the_middle_of_a_transfer_pays_once(tmp_path, held_transfers):
    stripe = held_transfers
    people = awarding()
    awards = propose_both(people)
    claim_both(people, awards, destinations=(CONNECTED, CONNECTED), recheck=False)
    env = {
        **VISIBILITY,
        "PAYMENT_GATEWAY": "stripe",
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_API_BASE": stripe.url,
    }

    with running_worker(tmp_path, env=env) as worker, tasks_to_broker():
        for solver in people.solvers:
            awards_recheck_for(user=solver)
        assert stripe.arrived.wait(timeout=60), "the worker never called Stripe"
        worker.kill()
        stripe.released.set()
        assert wait_for(lambda: len(stripe.made) == 1)
        worker.start()
        assert wait_for(lambda: all(state_of(a) == AwardState.PAID for a in awards), timeout=90)

    keys = stripe.keys("POST", TRANSFERS)
    payouts = list(Payout.objects.order_by("pk"))
    held_key = f"payout:{payouts[0].key}"
    assert keys[0] == held_key and keys.count(held_key) == 2  # sent again, same key
    assert len(stripe.made) == 2 and len(stripe.requests) == 2  # made once each
    assert sorted(p.provider_id for p in payouts) == sorted(stripe.made)
    assert [p.state for p in payouts] == [PayoutState.SUCCEEDED] * 2
    for payout in payouts:
        assert (
            Entry.objects.filter(kind="payout", idempotency_key=f"payout:{payout.key}").count() == 1
        )
    assert Entry.objects.filter(kind="payout").count() == 2
