"""Payouts under concurrency, on PostgreSQL: real connections racing to confirm,
release or cancel the same payouts. Committed transactions throughout."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from payouts.models import Entry, Payout, PayoutState
from payouts.selectors import statement
from payouts.services.payouts import payout_confirm, payout_send, payouts_cancel
from tests.concurrency import in_threads
from tests.conftest import skip_unless
from tests.factories import UserFactory

from .conftest import release

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless(
        connection.vendor == "postgresql", "needs PostgreSQL (row locks)", service="postgres"
    )


def test_two_threads_confirming_the_same_payout_post_once(escrowed, solver):
    (payout,) = release(escrowed, [(solver, 1_000)], gateway="stripe")

    results = in_threads(2, lambda i: payout_confirm(payout_id=payout.pk, provider_id="tr_race"))

    assert [r.state for r in results] == [PayoutState.SUCCEEDED] * 2, results
    assert Entry.objects.filter(kind="payout").count() == 1
    payout.refresh_from_db()
    assert (payout.state, payout.provider_id) == (PayoutState.SUCCEEDED, "tr_race")
    assert statement(payout.subject)["paid"] == 1_000


def test_twenty_threads_releasing_the_same_award_create_one_set(escrowed):
    team = [UserFactory(), UserFactory()]

    results = in_threads(
        20, lambda i: [p.pk for p in release(escrowed, [(team[0], 600), (team[1], 400)])]
    )

    assert all(isinstance(r, list) for r in results), results
    assert len({tuple(r) for r in results}) == 1
    assert Payout.objects.count() == 2
    assert Entry.objects.filter(kind="release").count() == 1


def test_a_send_racing_a_cancel_never_both_pays_and_forfeits(escrowed, solver):
    (payout,) = release(escrowed, [(solver, 1_000)])

    def work(i):
        if i == 0:
            return payout_send(payout_id=payout.pk).state
        with transaction.atomic():
            return payouts_cancel(reference=payout.reference)

    sent, cancelled = in_threads(2, work)

    payout.refresh_from_db()
    kinds = sorted(
        Entry.objects.filter(kind__in=["payout", "forfeit"]).values_list("kind", flat=True)
    )
    if payout.state == PayoutState.CANCELLED:
        assert (sent, cancelled, kinds) == (PayoutState.CANCELLED, 1, ["forfeit"])
    else:
        assert (sent, kinds) == (PayoutState.SUCCEEDED, ["payout"])
        assert isinstance(cancelled, ValidationError)
