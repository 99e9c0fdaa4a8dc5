"""`ledger_audit --reconcile` and bank transfers: no provider to ask, so wire payments
and refunds are counted for a person to compare with the bank statement, and one done
without the bank's reference is a breach. Stripe is never called for them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from marketplace.challenges.models import ChallengeState
from marketplace.core.references import wire_reference
from marketplace.escrow.services import subject_of
from marketplace.escrow.wire import wire_transfer_record
from payouts.models import Payment
from payouts.services.payments import payment_confirm
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

COUNTED = "2 wire payments and refunds (no provider: compare them with the bank statement)"


@pytest.fixture
def challenge(org, owner):
    return ChallengeFactory(
        organization=org, created_by=owner, state=ChallengeState.AWAITING_FUNDING
    )


def test_wire_payments_are_counted_and_one_without_a_bank_reference_is_named(
    challenge, staff, settings
):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing answers: Stripe is not asked
    wire_transfer_record(
        reference=wire_reference(challenge.pk),
        amount=100_000,
        received_on=timezone.localdate(),
        bank_reference="STATEMENT-1",
        actor=staff,
    )
    forged = Payment.objects.create(
        subject=subject_of(challenge),
        gateway="wire",
        amount=5_000,
        currency="USD",
        idempotency_key="pay:forged",
        created_by=staff,
    )
    payment_confirm(payment_id=forged.pk)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("ledger_audit", "--reconcile", stdout=out, stderr=err)
    assert err.getvalue() == (
        f"BREACH wire payment {forged.pk}: succeeded here but has no bank reference\n"
    )
    assert COUNTED in str(exc.value)
