"""One bank transfer typed in by two staff at the same moment, for two different
challenges (their row locks do not meet), in any letter case: one is recorded, the other
is refused with the form's message, never a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from marketplace.challenges.models import ChallengeState as S
from marketplace.core.references import wire_reference
from marketplace.escrow.wire import wire_transfer_record
from payouts.models import Payment
from tests.concurrency import in_threads
from tests.conftest import skip_unless
from tests.factories import ChallengeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless(connection.vendor == "postgresql", "row locks need PostgreSQL", service="postgres")


@pytest.mark.parametrize("texts", [("BANK-77", "BANK-77"), ("BANK-77", "bank-77")])
def test_one_bank_reference_recorded_twice_at_once(org, owner, staff, texts):
    challenges = [
        ChallengeFactory(organization=org, created_by=owner, state=S.AWAITING_FUNDING)
        for _ in texts
    ]

    def work(i):
        return wire_transfer_record(
            reference=wire_reference(challenges[i].pk),
            amount=100_000,
            received_on=timezone.localdate(),
            bank_reference=texts[i],
            actor=staff,
        )

    results = in_threads(len(texts), work)
    recorded = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(recorded) == 1 and len(refused) == 1, results
    assert "bank_reference" in refused[0].message_dict
    assert Payment.objects.count() == 1
