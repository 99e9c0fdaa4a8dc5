"""Twenty funding requests for one challenge at once, through the API, on PostgreSQL
(each thread its own connection; the local gateway): whatever keys they carry, the
Seeker is asked for pool + fee once, and every answer names that payment as it really
stands."""

import pytest
from django.db import connection

from marketplace.challenges.models import ChallengeState as S
from marketplace.escrow.services import subject_of
from payouts.models import AccountPurpose, Entry, Payment, PaymentState
from payouts.selectors import balance_of, statement
from tests.api_calls import client_for
from tests.concurrency import in_threads
from tests.conftest import skip_unless
from tests.factories import ChallengeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20
TOTAL = 2_750_000  # pool 25,000.00 + fee 2,500.00, in cents (the API takes "27500.00")

KEYS = [
    pytest.param([f"order-{i}" for i in range(THREADS)], id="different keys"),
    pytest.param([None] * THREADS, id="no key"),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless(connection.vendor == "postgresql", "row locks need PostgreSQL", service="postgres")


@pytest.fixture
def awaiting(org, owner):
    return ChallengeFactory(organization=org, created_by=owner, state=S.AWAITING_FUNDING)


def fund_at_once(challenge, user, keys, body=None) -> list[tuple[int, dict]]:
    """POST the fund endpoint from THREADS threads at once; (status, JSON) of each."""
    url = f"/api/v1/challenges/{challenge.pk}/fund/"
    clients = [client_for(user) for _ in range(THREADS)]

    def work(i):
        headers = {"Idempotency-Key": keys[i]} if keys[i] else {}
        response = clients[i].post(url, body or {}, format="json", headers=headers)
        return response.status_code, response.json()

    results = in_threads(THREADS, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    return results


def assert_paid_once(challenge) -> Payment:
    payment = Payment.objects.get()
    assert (payment.amount, payment.state) == (TOTAL, PaymentState.SUCCEEDED)
    subject = subject_of(challenge)
    assert balance_of(subject, AccountPurpose.FUNDING) == TOTAL
    assert statement(subject)["received"] == TOTAL
    assert Entry.objects.filter(kind="fund").count() == 1
    return payment


def answer(status: int, body: dict) -> tuple:
    if status == 201:
        return status, body["payment"]["id"], body["payment"]["state"], body["next_action"]
    return status, body["code"]


@pytest.mark.parametrize("keys", KEYS)
def test_twenty_requests_at_once_pay_pool_and_fee_once(awaiting, owner, keys):
    """Those served while the payment is on its way answer with it (sent again under
    its own key, so they report it succeeded); those served after it arrived find the
    challenge fully funded."""
    results = fund_at_once(awaiting, owner, keys)

    payment = assert_paid_once(awaiting)
    answers = {answer(status, body) for status, body in results}
    assert (201, payment.pk, "succeeded", "none") in answers
    assert answers <= {(201, payment.pk, "succeeded", "none"), (409, "already_funded")}
    assert {b["funding"]["received"] for s, b in results if s == 201} == {TOTAL}


def test_twenty_replays_of_one_request_all_report_its_real_outcome(awaiting, owner):
    results = fund_at_once(awaiting, owner, ["order-1"] * THREADS)

    payment = assert_paid_once(awaiting)
    assert [answer(status, body) for status, body in results] == [
        (201, payment.pk, "succeeded", "none")
    ] * THREADS
    assert {body["funding"]["received"] for _status, body in results} == {TOTAL}


def test_twenty_requests_for_the_whole_amount_pay_it_once(awaiting, owner):
    results = fund_at_once(
        awaiting, owner, [f"k{i}" for i in range(THREADS)], {"amount": "27500.00"}
    )

    statuses = sorted(status for status, _body in results)
    assert statuses == [201] + [409] * (THREADS - 1)
    assert {b["code"] for s, b in results if s == 409} == {"exceeds_due"}
    assert list(Payment.objects.values_list("amount", "state")) == [(TOTAL, "succeeded")]
    assert balance_of(subject_of(awaiting), AccountPurpose.FUNDING) == TOTAL


def test_twenty_partial_payments_at_once_never_add_up_to_more_than_is_due(awaiting, owner):
    results = fund_at_once(awaiting, owner, [None] * THREADS, {"amount": "10000.00"})

    assert sorted(status for status, _body in results) == [201] * 2 + [409] * (THREADS - 2)
    assert list(Payment.objects.values_list("amount", flat=True)) == [1_000_000] * 2
    assert balance_of(subject_of(awaiting), AccountPurpose.FUNDING) == 2_000_000
