"""Winners' Stripe Connect accounts against a loopback Stripe that is the Accounts and
Account Links APIs (tests/stripe_connect.py): one Express account per person, the
onboarding link, what Stripe says of the account (read at the return page, or told by
`account.updated` in any order and however often), and payouts that wait while the
account cannot receive them and are sent once it can."""

import random

import pytest

from payouts.gateways import GatewayUnavailable
from payouts.models import GatewayEvent, PayoutAccount, PayoutAccountLink, PayoutState
from payouts.services.connect import (
    NoConnectAccount,
    payout_account_connect,
    payout_account_link,
    payout_account_refresh,
    payout_account_staff_link,
)
from payouts.services.payouts import payout_send
from tests.factories import StaffFactory
from tests.stripe_connect import account_updated_event, stripe_connect_running

from .conftest import CONNECTED, release

pytestmark = pytest.mark.django_db

AMOUNT = 1_000_000


@pytest.fixture
def stripe_connect(settings, monkeypatch):
    yield from stripe_connect_running(settings, monkeypatch)


BACK = {"refresh_url": "https://site.test/refresh", "return_url": "https://site.test/return"}


def test_one_express_account_per_person(stripe_connect, solver):
    first = payout_account_connect(user=solver)
    again = payout_account_connect(user=solver)

    assert again.pk == first.pk and list(stripe_connect.made_accounts) == [first.destination]
    [(method, _path, key)] = [seen for seen in stripe_connect.seen if seen[1] == "/v1/accounts"]
    assert (method, key) == ("POST", f"connect-account:user:{solver.pk}")
    made = stripe_connect.made_accounts[first.destination]
    assert (made["type"], made["email"], made["metadata"]) == (
        "express",
        solver.email,
        {"user": str(solver.pk)},
    )
    assert first.payouts_enabled is False and first.details_submitted is False
    assert "external_account" in first.currently_due and "tos_acceptance.date" in first.past_due
    assert first.disabled_reason == "requirements.past_due" and first.waiting


def test_a_retried_creation_makes_no_second_account(stripe_connect, solver, settings):
    """The answer is lost: the retry (same idempotency key) gets the same account."""
    stripe_connect.faults = ["lost"]
    account = payout_account_connect(user=solver)
    assert len(stripe_connect.made_accounts) == 1
    assert account.destination in stripe_connect.made_accounts


def test_stripe_not_answering_records_nothing(stripe_connect, solver, settings):
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    stripe_connect.faults = ["500"]
    with pytest.raises(GatewayUnavailable):
        payout_account_connect(user=solver)
    assert not PayoutAccount.objects.exists()


def test_the_onboarding_link_is_on_stripe(stripe_connect, solver):
    with pytest.raises(NoConnectAccount):
        payout_account_link(user=solver, **BACK)
    account = payout_account_connect(user=solver)
    url = payout_account_link(user=solver, **BACK)
    assert url.startswith(f"{stripe_connect.url}/connect/onboarding/")
    [link] = stripe_connect.links.values()
    assert link["account"] == account.destination and link["type"] == "account_onboarding"
    assert (link["refresh_url"], link["return_url"]) == (BACK["refresh_url"], BACK["return_url"])


def test_a_payout_waits_until_the_account_can_receive_it(
    stripe_connect, escrowed, solver, django_capture_on_commit_callbacks
):
    account = payout_account_connect(user=solver)
    (payout,) = release(escrowed, [(solver, AMOUNT)], gateway="stripe")

    waiting = payout_send(payout_id=payout.pk)
    assert (waiting.state, waiting.attempts, waiting.failure_message) == (
        PayoutState.PENDING,
        0,
        "",
    )
    assert stripe_connect.requests == []  # Stripe was not asked for a transfer

    stripe_connect.finish(account.destination)
    with django_capture_on_commit_callbacks(execute=True):
        refreshed = payout_account_refresh(user=solver)
    assert refreshed.payouts_enabled is True and refreshed.requirements_due == []
    payout.refresh_from_db()
    assert payout.state == PayoutState.SUCCEEDED and payout.destination == account.destination
    assert [form["destination"] for form, _key in stripe_connect.requests] == [account.destination]

    with django_capture_on_commit_callbacks(execute=True) as queued:
        payout_account_refresh(user=solver)  # already enabled: nothing is queued again
    assert queued == [] and len(stripe_connect.requests) == 1


def test_an_account_staff_linked_is_tried_at_once(stripe_connect, escrowed, solver):
    """Nothing is known of an account staff linked: its transfer is tried (and the link
    is recorded: who, when, what it replaced)."""
    stripe_connect.accounts.add(CONNECTED)
    staff = StaffFactory()
    made = payout_account_connect(user=solver)
    account = payout_account_staff_link(user=solver, destination=CONNECTED, actor=staff)
    assert account.payouts_enabled is None and account.currently_due == []
    [link] = PayoutAccountLink.objects.all()
    assert (link.actor, link.destination, link.previous) == (staff, CONNECTED, made.destination)
    (payout,) = release(escrowed, [(solver, AMOUNT)], gateway="stripe")
    assert payout_send(payout_id=payout.pk).state == PayoutState.SUCCEEDED


# --- account.updated ----------------------------------------------------------------


def _states(stripe_connect, account_id: str) -> list[dict]:
    """Four successive states of the account at Stripe: due, still due, enabled, and
    restricted again (the newest)."""
    start = dict(stripe_connect.made_accounts[account_id])
    due_less = {**start, "requirements": {**start["requirements"], "past_due": []}}
    stripe_connect.finish(account_id)
    enabled = dict(stripe_connect.made_accounts[account_id])
    restricted = {
        **enabled,
        "payouts_enabled": False,
        "requirements": {
            **enabled["requirements"],
            "currently_due": ["individual.verification.document"],
            "disabled_reason": "requirements.pending_verification",
        },
    }
    return [start, due_less, enabled, restricted]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_account_events_replayed_in_any_order_end_in_the_newest(
    stripe_connect, solver, deliver, seed
):
    account = payout_account_connect(user=solver)
    states = _states(stripe_connect, account.destination)
    created = int(account.state_at.timestamp()) + 10
    events = [
        account_updated_event(state, created=created + n, event_id=f"evt_account_{n}")
        for n, state in enumerate(states)
    ]
    shuffler = random.Random(seed)
    for _round in range(5):
        shuffler.shuffle(events)
        for event in events:
            assert deliver(event).status_code == 200

    account.refresh_from_db()
    assert account.payouts_enabled is False
    assert account.details_submitted is True
    assert account.currently_due == ["individual.verification.document"]
    assert account.disabled_reason == "requirements.pending_verification"
    assert int(account.state_at.timestamp()) == created + 3
    assert GatewayEvent.objects.count() == 4
    assert set(GatewayEvent.objects.values_list("outcome", flat=True)) == {"processed"}


def test_an_enabled_account_event_sends_the_waiting_payouts(
    stripe_connect, escrowed, solver, deliver
):
    account = payout_account_connect(user=solver)
    (payout,) = release(escrowed, [(solver, AMOUNT)], gateway="stripe")
    payout_send(payout_id=payout.pk)
    [_start, _due, enabled, _restricted] = _states(stripe_connect, account.destination)
    created = int(account.state_at.timestamp()) + 10
    deliver(account_updated_event(enabled, created=created, event_id="evt_enabled"))
    payout.refresh_from_db()
    assert payout.state == PayoutState.SUCCEEDED and len(stripe_connect.made) == 1


def test_an_older_event_than_the_return_page_changes_nothing(stripe_connect, solver, deliver):
    account = payout_account_connect(user=solver)
    stale = dict(stripe_connect.made_accounts[account.destination])
    stripe_connect.finish(account.destination)
    read = payout_account_refresh(user=solver)
    deliver(
        account_updated_event(
            stale, created=int(read.state_at.timestamp()) - 5, event_id="evt_stale"
        )
    )
    account.refresh_from_db()
    assert account.payouts_enabled is True
    assert GatewayEvent.objects.get().note.endswith("a newer state is on file")


def test_unknown_and_malformed_account_events_are_flagged(stripe_connect, solver, deliver):
    account = payout_account_connect(user=solver)
    obj = dict(stripe_connect.made_accounts[account.destination])
    deliver(account_updated_event({**obj, "id": "acct_1Stranger"}, created=1, event_id="evt_u"))
    deliver(
        account_updated_event(
            {**obj, "requirements": {"currently_due": "everything"}}, created=2, event_id="evt_m"
        )
    )
    outcomes = dict(GatewayEvent.objects.values_list("event_id", "outcome"))
    assert outcomes == {"evt_u": "unknown", "evt_m": "failed"}
    account.refresh_from_db()
    assert account.payouts_enabled is False
