"""Stripe's transfer webhooks: a transfer confirms its payout and a reversal reverses
it, once, in whatever order and however often they come; a transfer we do not know or
that does not match its payout moves nothing and is flagged for staff."""

import pytest

from payouts.gateways import GatewayUnavailable
from payouts.models import Entry, GatewayEvent, PayoutState
from payouts.selectors import statement
from payouts.services.payouts import payout_send, payouts_cancel
from payouts.services.tax import payout_account_set
from tests.factories import UserFactory

from .conftest import CONNECTED, release, transfer_event, transfer_of

pytestmark = pytest.mark.django_db

Outcome = GatewayEvent.Outcome
AMOUNT = 1_000_000


@pytest.fixture
def payout(stripe_transfers, escrowed, solver):
    payout_account_set(user=solver, gateway="stripe", destination=CONNECTED)
    (pending,) = release(escrowed, [(solver, AMOUNT)], gateway="stripe")
    return pending


@pytest.fixture
def lost(stripe_transfers, payout, settings):
    """The payout's transfer was made at Stripe, but its answer never arrived: the
    payout is pending with no transfer id. Returns the transfer as Stripe holds it."""
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    stripe_transfers.faults = ["lost"]
    with pytest.raises(GatewayUnavailable):
        payout_send(payout_id=payout.pk)
    payout.refresh_from_db()
    assert (payout.state, payout.provider_id) == (PayoutState.PENDING, "")
    (transfer,) = stripe_transfers.made.values()
    return transfer


def kinds() -> list[str]:
    return sorted(
        Entry.objects.filter(kind__in=["payout", "reverse"]).values_list("kind", flat=True)
    )


def test_a_transfer_whose_answer_was_lost_is_confirmed_by_its_webhook(lost, payout, deliver):
    response = deliver(transfer_event(lost, "evt_a"))

    assert response.status_code == 200
    payout.refresh_from_db()
    assert (payout.state, payout.provider_id) == (PayoutState.SUCCEEDED, lost["id"])
    event = GatewayEvent.objects.get()
    assert (event.type, event.outcome, event.note) == (
        "transfer.created",
        Outcome.PROCESSED,
        f"payout {payout.pk} is succeeded",
    )
    assert kinds() == ["payout"]


def test_the_same_transfer_reported_again_confirms_nothing_twice(lost, payout, deliver):
    deliver(transfer_event(lost, "evt_a"))
    deliver(transfer_event(lost, "evt_a"))
    updated = transfer_event(lost, "evt_b")
    updated["type"] = "transfer.updated"
    deliver(updated)

    assert GatewayEvent.objects.count() == 2
    assert set(GatewayEvent.objects.values_list("outcome", flat=True)) == {Outcome.PROCESSED}
    assert kinds() == ["payout"]
    assert statement(payout.subject)["paid"] == AMOUNT


def test_a_webhook_after_the_answer_changes_nothing(stripe_transfers, payout, deliver):
    paid = payout_send(payout_id=payout.pk)

    deliver(transfer_event(stripe_transfers.made[paid.provider_id]))

    assert GatewayEvent.objects.get().outcome == Outcome.PROCESSED
    assert kinds() == ["payout"]


def test_a_reversal_makes_the_money_owed_again_once(stripe_transfers, payout, deliver):
    paid = payout_send(payout_id=payout.pk)
    reversed_ = stripe_transfers.reverse(paid.provider_id)

    deliver(transfer_event(reversed_, "evt_r1"))
    deliver(transfer_event(reversed_, "evt_r1"))
    deliver(transfer_event(reversed_, "evt_r2"))

    paid.refresh_from_db()
    assert (paid.state, paid.failure_message) == (
        PayoutState.REVERSED,
        f"Stripe reversed {paid.provider_id}",
    )
    assert GatewayEvent.objects.count() == 2
    assert kinds() == ["payout", "reverse"]
    s = statement(payout.subject)
    assert (s["paid"], s["owed"]) == (0, AMOUNT)


def test_a_reversal_before_the_creation_is_applied_in_either_order(
    stripe_transfers, lost, payout, deliver
):
    reversed_ = transfer_event(stripe_transfers.reverse(lost["id"]), "evt_reversed")
    created = transfer_event(lost, "evt_created")
    created["data"]["object"].update(reversed=False, amount_reversed=0)

    deliver(reversed_)
    deliver(created)

    payout.refresh_from_db()
    assert (payout.state, payout.provider_id) == (PayoutState.REVERSED, lost["id"])
    assert set(GatewayEvent.objects.values_list("outcome", flat=True)) == {Outcome.PROCESSED}
    assert kinds() == ["payout", "reverse"]


def test_a_partial_reversal_is_flagged_for_staff(stripe_transfers, payout, deliver):
    paid = payout_send(payout_id=payout.pk)
    transfer = stripe_transfers.made[paid.provider_id]
    transfer.update(amount_reversed=100)

    deliver(transfer_event(transfer))

    event = GatewayEvent.objects.get()
    assert (event.outcome, event.note) == (
        Outcome.FAILED,
        f"{paid.provider_id} of payout {paid.pk} is partly reversed (100)",
    )
    paid.refresh_from_db()
    assert paid.state == PayoutState.SUCCEEDED
    assert kinds() == ["payout"]


@pytest.mark.parametrize(
    ("change", "note"),
    [
        ({"metadata": {"payout": "999999"}}, "no payout 999999 (named by tr_for_payout_{pk})"),
        ({"metadata": {}}, "no payout for tr_for_payout_{pk}"),
        ({"id": ""}, "no transfer id"),
        (
            {"metadata": {"payout": "{pk}", "reference": "award:2"}},
            "payout {pk} is for award:1, not award:2",
        ),
    ],
    ids=["unknown payout", "no metadata", "no id", "other award"],
)
def test_a_transfer_we_do_not_know_is_flagged_unknown(payout, deliver, change, note):
    change = {
        k: {mk: mv.format(pk=payout.pk) for mk, mv in v.items()} if k == "metadata" else v
        for k, v in change.items()
    }

    deliver(transfer_event(transfer_of(payout, **change)))

    event = GatewayEvent.objects.get()
    assert (event.outcome, event.note) == (Outcome.UNKNOWN, note.format(pk=payout.pk))
    payout.refresh_from_db()
    assert payout.state == PayoutState.PENDING
    assert not kinds()


def test_a_transfer_of_another_payout_is_not_this_one(payout, escrowed, deliver):
    other = UserFactory()
    payout_account_set(user=other, gateway="stripe", destination=CONNECTED)
    (taken,) = release(escrowed, [(other, 5)], reference="award:2", gateway="stripe")
    taken.provider_id = "tr_taken"
    taken.save(update_fields=["provider_id"])

    deliver(transfer_event(transfer_of(payout, id="tr_taken"), "evt_1"))
    payout.provider_id = "tr_mine"
    payout.save(update_fields=["provider_id"])
    deliver(transfer_event(transfer_of(payout, id="tr_other"), "evt_2"))

    assert dict(GatewayEvent.objects.values_list("event_id", "note")) == {
        "evt_1": "tr_taken belongs to another payout",
        "evt_2": f"payout {payout.pk} belongs to tr_mine, not tr_other",
    }
    assert set(GatewayEvent.objects.values_list("outcome", flat=True)) == {Outcome.UNKNOWN}
    assert not kinds()


def test_a_local_payout_is_unknown_to_stripe(stripe_transfers, escrowed, solver, deliver):
    (local,) = release(escrowed, [(solver, 5)], gateway="local")

    deliver(transfer_event(transfer_of(local)))

    assert GatewayEvent.objects.get().outcome == Outcome.UNKNOWN


@pytest.mark.parametrize(
    "change",
    [{"amount": AMOUNT - 1}, {"currency": "eur"}, {"destination": "acct_1Elsewhere"}],
    ids=["amount", "currency", "destination"],
)
def test_a_transfer_that_does_not_match_its_payout_is_flagged_failed(payout, deliver, change):
    deliver(transfer_event(transfer_of(payout, **change)))

    event = GatewayEvent.objects.get()
    assert event.outcome == Outcome.FAILED
    assert event.note.startswith(f"payout {payout.pk} is {AMOUNT} USD to {CONNECTED}; ")
    payout.refresh_from_db()
    assert payout.state == PayoutState.PENDING
    assert not kinds()


def test_money_sent_for_a_cancelled_payout_is_flagged_not_posted(payout, deliver):
    payouts_cancel(reference="award:1")

    deliver(transfer_event(transfer_of(payout, id="tr_late")))

    event = GatewayEvent.objects.get()
    assert (event.outcome, event.note) == (
        Outcome.FAILED,
        f"payout {payout.pk} was cancelled but tr_late paid it",
    )
    payout.refresh_from_db()
    assert (payout.state, payout.provider_id) == (PayoutState.CANCELLED, "")
    assert not kinds()
