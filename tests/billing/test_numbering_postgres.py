"""Twenty invoices issued at once on PostgreSQL take twenty consecutive numbers: the
year's counter row lock makes them take turns, and the first two to start a year do not
both create its counter."""

import pytest
from django.db import connection

from marketplace.billing.models import BillingDocument, DocumentCounter
from marketplace.billing.services import proforma_issue
from marketplace.challenges.models import ChallengeState as S
from tests.concurrency import in_threads
from tests.conftest import skip_unless
from tests.factories import ChallengeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless(connection.vendor == "postgresql", "row locks need PostgreSQL", service="postgres")


def test_twenty_concurrent_invoices_get_twenty_consecutive_numbers(org, owner):
    """Twenty pro-forma invoices for twenty challenges issued at once: each locks only
    its own challenge, so only the year's counter makes them take turns."""
    challenges = [
        ChallengeFactory(organization=org, created_by=owner, state=S.AWAITING_FUNDING)
        for _ in range(THREADS)
    ]
    assert not DocumentCounter.objects.exists()  # the first ones also start the year

    def work(i):
        return proforma_issue(challenge_id=challenges[i].pk, actor=owner).sequence

    results = in_threads(THREADS, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == list(range(1, THREADS + 1))
    assert BillingDocument.objects.count() == THREADS
    assert DocumentCounter.objects.get().last == THREADS
