"""What only PostgreSQL can prove: concurrent posters from real connections (row locks,
the unique idempotency key). Committed transactions throughout. The guards below the
ORM are proven on both databases in test_db_guards.py."""

import pytest
from django.db import connection, transaction

from marketplace.challenges.models import ChallengeState as S
from marketplace.escrow.services import challenge_fund, subject_of
from payouts.accounts import clearing_account, fees_account, subject_account
from payouts.audit import run_audit
from payouts.models import Account, AccountPurpose, Entry, Leg
from payouts.selectors import balance_of, statement
from payouts.services.ledger import InsufficientFunds, LegSpec, entry_post
from payouts.services.payments import payment_start
from payouts.services.payouts import award_release_post
from tests.concurrency import in_threads as run_in_threads
from tests.conftest import skip_unless
from tests.factories import ChallengeFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20
SUBJECT = "test:1"
FUNDING = subject_account(SUBJECT, AccountPurpose.FUNDING)
ESCROW = subject_account(SUBJECT, AccountPurpose.ESCROW)


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless(
        connection.vendor == "postgresql",
        "needs PostgreSQL (row locks and triggers)",
        service="postgres",
    )


def in_threads(work) -> list:
    return run_in_threads(THREADS, work)


def fund(subject, amount) -> None:
    payment_start(
        subject=subject, amount=amount, currency="USD", actor=UserFactory(), gateway="local"
    )


def assert_audit_clean() -> None:
    report = run_audit()
    assert report.clean, report.breaches


def test_twenty_threads_fund_one_challenge(org, owner):
    challenge = ChallengeFactory(organization=org, created_by=owner, state=S.AWAITING_FUNDING)
    subject = subject_of(challenge)
    rounds = 3

    def work(i):
        for _n in range(rounds):
            challenge_fund(challenge_id=challenge.pk, actor=owner, amount=1000 + i)
        return "ok"

    assert in_threads(work) == ["ok"] * THREADS
    total = rounds * sum(1000 + i for i in range(THREADS))
    assert balance_of(subject, AccountPurpose.FUNDING) == total
    assert Account.objects.get(code=clearing_account("local", "USD")[0]).balance == -total
    assert Entry.objects.filter(kind="fund").count() == rounds * THREADS
    assert statement(subject)["received"] == total
    assert_audit_clean()


def test_twenty_threads_posting_the_same_key_post_one_entry():
    fund(SUBJECT, 10_000)

    def work(i):
        entry, created = entry_post(
            key="open:once",
            kind="open",
            reference=SUBJECT,
            currency="USD",
            legs=[LegSpec(FUNDING, -550), LegSpec(ESCROW, 500), LegSpec(fees_account("USD"), 50)],
        )
        return entry.pk, created

    results = in_threads(work)
    assert not [r for r in results if isinstance(r, Exception)]
    assert len({pk for pk, _created in results}) == 1
    assert sum(created for _pk, created in results) == 1
    assert Entry.objects.filter(idempotency_key="open:once").count() == 1
    assert Leg.objects.filter(entry__idempotency_key="open:once").count() == 3
    assert balance_of(SUBJECT, AccountPurpose.ESCROW) == 500
    assert balance_of(SUBJECT, AccountPurpose.FUNDING) == 9_450
    assert_audit_clean()


def test_twenty_threads_overdrawing_escrow_only_take_what_it_holds():
    fund(SUBJECT, 1_100)
    entry_post(
        key="open:all",
        kind="open",
        reference=SUBJECT,
        currency="USD",
        legs=[LegSpec(FUNDING, -1_100), LegSpec(ESCROW, 1_000), LegSpec(fees_account("USD"), 100)],
    )
    winners = [UserFactory() for _ in range(THREADS)]

    def work(i):
        with transaction.atomic():
            award_release_post(
                subject=SUBJECT,
                reference=f"award:{i}",
                currency="USD",
                parts=[(winners[i].pk, 100)],
                gateway="local",
            )
        return "ok"

    results = in_threads(work)
    assert results.count("ok") == 10
    refused = [r for r in results if r != "ok"]
    assert len(refused) == 10
    assert all(type(r) is InsufficientFunds for r in refused), refused
    assert balance_of(SUBJECT, AccountPurpose.ESCROW) == 0
    assert Account.objects.filter(purpose=AccountPurpose.PAYABLE, balance=100).count() == 10
    assert Entry.objects.filter(kind="release").count() == 10
    assert_audit_clean()
