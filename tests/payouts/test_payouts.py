"""Payouts through the local gateway: an award released from escrow to its payees,
paid, refused and retried, reversed, or cancelled when the award is forfeited. Every
test ends with the ledger audit (conftest), and the escrow statement adds up."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from marketplace.core.references import subject_of
from payouts.accounts import clearing_account, payable_account, subject_account
from payouts.gateways import GatewayUnavailable, TransferOutcome
from payouts.gateways.local import LocalGateway
from payouts.models import Account, Entry, Payout, PayoutState
from payouts.selectors import balance_of, payout_totals, payouts_for, statement
from payouts.services.ledger import InsufficientFunds
from payouts.services.payouts import (
    PayoutCancelled,
    award_release_post,
    payout_confirm,
    payout_fail,
    payout_retry,
    payout_reverse,
    payout_send,
    payouts_cancel,
)
from payouts.services.tax import payout_account_set
from tests.factories import UserFactory

from .conftest import CONNECTED, release

pytestmark = pytest.mark.django_db

POOL, FEE = 2_500_000, 250_000
S = PayoutState


@pytest.fixture
def team(db):
    return UserFactory(), UserFactory()


def legs(key: str) -> dict[str, int]:
    return dict(Entry.objects.get(idempotency_key=key).legs.values_list("account__code", "amount"))


def payable(user) -> int:
    return Account.objects.filter(code=payable_account(user.pk, "USD")[0]).get().balance


def money(challenge) -> dict:
    s = statement(subject_of(challenge))
    assert s["balanced"], s
    return {k: s[k] for k in ("received", "fee", "held", "owed", "paid", "refunded", "unallocated")}


def expected(**changes) -> dict:
    base = {"received": POOL + FEE, "fee": FEE, "held": POOL, "owed": 0, "paid": 0}
    return base | {"refunded": 0, "unallocated": 0} | changes


def refuse(message: str):
    """Make the local gateway refuse every transfer with `message`."""
    return lambda self, payout: TransferOutcome(status="failed", failure_message=message)


# --- release -----------------------------------------------------------------------------


def test_release_moves_escrow_to_each_payee_and_creates_pending_payouts(escrowed, team):
    ada, ben = team
    subject = subject_of(escrowed)

    payouts = release(escrowed, [(ada, 600_001), (ben, 399_999)], reference="award:7")

    assert legs("release:award:7") == {
        subject_account(subject, "escrow")[0]: -1_000_000,
        payable_account(ada.pk, "USD")[0]: 600_001,
        payable_account(ben.pk, "USD")[0]: 399_999,
    }
    entry = Entry.objects.get(idempotency_key="release:award:7")
    assert (entry.kind, entry.reference) == ("release", subject)
    assert [
        (p.payee, p.amount, p.key, p.state, p.subject, p.transfer_group, p.gateway, p.test_money)
        for p in payouts
    ] == [
        (ada, 600_001, f"award:7:{ada.pk}", S.PENDING, subject, subject, "local", True),
        (ben, 399_999, f"award:7:{ben.pk}", S.PENDING, subject, subject, "local", True),
    ]
    assert all((p.destination, p.attempts, p.currency) == ("", 0, "USD") for p in payouts)
    assert (payable(ada), payable(ben)) == (600_001, 399_999)
    assert money(escrowed) == expected(held=POOL - 1_000_000, owed=1_000_000)


def test_release_again_returns_the_same_payouts_and_posts_nothing(escrowed, team):
    first = release(escrowed, [(team[0], 500), (team[1], 700)])
    entries = Entry.objects.count()

    again = release(escrowed, [(team[1], 700), (team[0], 500)])

    assert [p.pk for p in again] == [p.pk for p in first]
    assert Entry.objects.count() == entries
    assert Payout.objects.count() == 2
    assert money(escrowed) == expected(held=POOL - 1_200, owed=1_200)


@pytest.mark.parametrize(
    "change",
    [
        {"parts": "other amount"},
        {"parts": "other payee"},
        {"currency": "EUR"},
        {"subject": "challenge:999999"},
    ],
)
def test_release_again_with_other_terms_is_refused(escrowed, team, change):
    release(escrowed, [(team[0], 500)])
    call = {
        "subject": subject_of(escrowed),
        "reference": "award:1",
        "currency": "USD",
        "parts": [(team[0].pk, 500)],
    }
    call |= change
    if change.get("parts") == "other amount":
        call["parts"] = [(team[0].pk, 501)]
    elif change.get("parts") == "other payee":
        call["parts"] = [(team[1].pk, 500)]

    with pytest.raises(ValidationError) as raised, transaction.atomic():
        award_release_post(**call, gateway="local")

    assert "reference" in raised.value.message_dict
    assert Payout.objects.count() == 1


def test_release_of_more_than_escrow_holds_posts_nothing(escrowed, team):
    with pytest.raises(InsufficientFunds):
        release(escrowed, [(team[0], POOL), (team[1], 1)])

    assert not Payout.objects.exists()
    assert not Entry.objects.filter(kind="release").exists()
    assert money(escrowed) == expected()


@pytest.mark.parametrize(
    "parts",
    [
        [],
        [(1, 0)],
        [(1, -5)],
        [(1, 5.0)],
        [(1, True)],
        [(1, "5")],
        [("1", 5)],
        [(1,)],
        [(1, 5, 6)],
        [(1, 5), (1, 6)],
    ],
    ids=["none", "zero", "negative", "float", "bool", "text", "text id", "short", "long", "twice"],
)
def test_release_parts_must_be_payees_with_positive_whole_amounts(escrowed, parts):
    with pytest.raises(ValidationError) as raised:
        award_release_post(
            subject=subject_of(escrowed),
            reference="award:1",
            currency="USD",
            parts=parts,
            gateway="local",
        )
    assert list(raised.value.message_dict) == ["parts"]
    assert not Entry.objects.filter(kind="release").exists()


def test_release_in_an_unknown_currency_is_refused(escrowed, team):
    with pytest.raises(ValidationError):
        award_release_post(
            subject=subject_of(escrowed),
            reference="award:1",
            currency="XXX",
            parts=[(team[0].pk, 5)],
            gateway="local",
        )
    assert not Payout.objects.exists()


def test_release_through_stripe_pays_each_payee_to_the_account_on_file(escrowed, team, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_abc"
    payout_account_set(user=team[0], gateway="stripe", destination=CONNECTED)

    payouts = release(escrowed, [(team[0], 5), (team[1], 6)], gateway="stripe")

    assert [(p.gateway, p.destination, p.test_money) for p in payouts] == [
        ("stripe", CONNECTED, True),
        ("stripe", "", True),
    ]


# --- sending -----------------------------------------------------------------------------


def test_send_through_the_local_gateway_pays_at_once(escrowed, team):
    (payout,) = release(escrowed, [(team[0], 1_000_000)])

    paid = payout_send(payout_id=payout.pk)

    assert (paid.state, paid.provider_id, paid.attempts) == (
        S.SUCCEEDED,
        f"local_tr_{payout.pk}",
        1,
    )
    assert paid.last_attempt_at and paid.completed_at
    entry = Entry.objects.get(idempotency_key=f"payout:{payout.key}")
    assert (entry.kind, entry.reference) == ("payout", subject_of(escrowed))
    assert legs(entry.idempotency_key) == {
        payable_account(team[0].pk, "USD")[0]: -1_000_000,
        clearing_account("local", "USD")[0]: 1_000_000,
    }
    assert payable(team[0]) == 0
    assert money(escrowed) == expected(held=POOL - 1_000_000, paid=1_000_000)


def test_send_and_confirm_again_change_nothing(escrowed, team):
    (payout,) = release(escrowed, [(team[0], 100)])
    payout_send(payout_id=payout.pk)

    again = payout_send(payout_id=payout.pk)
    payout_confirm(payout_id=payout.pk, provider_id="local_tr_other")

    again.refresh_from_db()
    assert (again.state, again.attempts, again.provider_id) == (
        S.SUCCEEDED,
        1,
        f"local_tr_{payout.pk}",
    )
    assert Entry.objects.filter(kind="payout").count() == 1


def test_an_unreachable_gateway_leaves_the_payout_pending_for_a_retry(escrowed, team, monkeypatch):
    (payout,) = release(escrowed, [(team[0], 100)])

    def down(self, payout):
        raise GatewayUnavailable("connection reset")

    monkeypatch.setattr(LocalGateway, "transfer", down)
    with pytest.raises(GatewayUnavailable):
        payout_send(payout_id=payout.pk)

    payout.refresh_from_db()
    assert (payout.state, payout.attempts, payout.failure_message) == (
        S.PENDING,
        1,
        "connection reset",
    )
    assert not Entry.objects.filter(kind="payout").exists()
    assert money(escrowed)["owed"] == 100

    monkeypatch.undo()
    paid = payout_send(payout_id=payout.pk)
    assert (paid.state, paid.attempts, paid.failure_message) == (S.SUCCEEDED, 2, "")
    assert Entry.objects.filter(kind="payout").count() == 1


def test_a_refused_transfer_fails_stays_owed_and_can_be_retried(escrowed, team, monkeypatch):
    (payout,) = release(escrowed, [(team[0], 100)])
    monkeypatch.setattr(LocalGateway, "transfer", refuse("Account closed."))

    failed = payout_send(payout_id=payout.pk)

    assert (failed.state, failed.failure_message) == (S.FAILED, "Account closed.")
    assert not Entry.objects.filter(kind="payout").exists()
    assert payable(team[0]) == 100
    assert money(escrowed) == expected(held=POOL - 100, owed=100)
    assert payout_send(payout_id=payout.pk).attempts == 1  # a failed payout is not sent

    retried = payout_retry(payout_id=payout.pk)
    assert (retried.state, retried.failure_message) == (S.PENDING, "")

    monkeypatch.undo()
    paid = payout_send(payout_id=payout.pk)
    assert (paid.state, paid.attempts) == (S.SUCCEEDED, 2)
    assert money(escrowed) == expected(held=POOL - 100, paid=100)


def test_retry_takes_the_account_the_payee_has_on_file_now(escrowed, team, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_abc"
    (payout,) = release(escrowed, [(team[0], 100)], gateway="stripe")
    payout_fail(payout_id=payout.pk, message="No such destination")
    payout_account_set(user=team[0], gateway="stripe", destination=CONNECTED)

    assert payout_retry(payout_id=payout.pk).destination == CONNECTED


def test_fail_and_retry_leave_other_states_alone(escrowed, team):
    (payout,) = release(escrowed, [(team[0], 100)])
    assert payout_retry(payout_id=payout.pk).state == S.PENDING
    payout_send(payout_id=payout.pk)

    assert payout_fail(payout_id=payout.pk, message="late failure").state == S.SUCCEEDED
    assert payout_retry(payout_id=payout.pk).state == S.SUCCEEDED
    payout.refresh_from_db()
    assert (payout.state, payout.failure_message) == (S.SUCCEEDED, "")


def test_fail_without_a_message_says_it_was_refused(escrowed, team):
    (payout,) = release(escrowed, [(team[0], 100)])
    assert payout_fail(payout_id=payout.pk, message="").failure_message == (
        "The transfer was refused."
    )


def test_a_late_success_for_a_failed_payout_confirms_it(escrowed, team):
    """The money did move (say, an answer lost and a failure recorded meanwhile)."""
    (payout,) = release(escrowed, [(team[0], 100)])
    payout_fail(payout_id=payout.pk, message="gave up")

    paid = payout_confirm(payout_id=payout.pk, provider_id="local_tr_late")

    assert (paid.state, paid.provider_id, paid.failure_message) == (
        S.SUCCEEDED,
        "local_tr_late",
        "",
    )
    assert money(escrowed) == expected(held=POOL - 100, paid=100)


# --- reversal ----------------------------------------------------------------------------


def test_a_reversed_payout_is_owed_again(escrowed, team):
    (payout,) = release(escrowed, [(team[0], 100)])
    payout_send(payout_id=payout.pk)

    reversed_ = payout_reverse(payout_id=payout.pk, reason="Account closed by the bank")
    payout_reverse(payout_id=payout.pk, reason="again")

    assert (reversed_.state, reversed_.failure_message) == (
        S.REVERSED,
        "Account closed by the bank",
    )
    entry = Entry.objects.get(idempotency_key=f"reverse:payout:{payout.key}")
    assert (entry.kind, entry.memo) == ("reverse", "Account closed by the bank")
    assert legs(entry.idempotency_key) == {
        clearing_account("local", "USD")[0]: -100,
        payable_account(team[0].pk, "USD")[0]: 100,
    }
    assert payable(team[0]) == 100
    assert money(escrowed) == expected(held=POOL - 100, owed=100)
    assert payout_confirm(payout_id=payout.pk).state == S.REVERSED
    assert Entry.objects.filter(kind__in=["payout", "reverse"]).count() == 2


@pytest.mark.parametrize("state", [S.PENDING, S.FAILED])
def test_only_a_paid_payout_can_be_reversed(escrowed, team, state):
    (payout,) = release(escrowed, [(team[0], 100)])
    if state == S.FAILED:
        payout_fail(payout_id=payout.pk, message="refused")

    with pytest.raises(ValidationError):
        payout_reverse(payout_id=payout.pk)

    payout.refresh_from_db()
    assert payout.state == state
    assert not Entry.objects.filter(kind="reverse").exists()


# --- cancellation (the award is forfeited after release) ---------------------------------


def test_cancelling_puts_unpaid_payouts_back_into_escrow_in_one_entry(escrowed, team, monkeypatch):
    ada, ben = team
    _first, second = release(escrowed, [(ada, 600), (ben, 400)], reference="award:3")
    monkeypatch.setattr(LocalGateway, "transfer", refuse("refused"))
    payout_send(payout_id=second.pk)

    assert payouts_cancel(reference="award:3") == 2

    assert set(Payout.objects.values_list("state", flat=True)) == {S.CANCELLED}
    entry = Entry.objects.get(kind="forfeit")
    assert (entry.idempotency_key, entry.reference) == ("forfeit:award:3", subject_of(escrowed))
    assert legs("forfeit:award:3") == {
        payable_account(ada.pk, "USD")[0]: -600,
        payable_account(ben.pk, "USD")[0]: -400,
        subject_account(subject_of(escrowed), "escrow")[0]: 1_000,
    }
    assert (payable(ada), payable(ben)) == (0, 0)
    assert money(escrowed) == expected()
    assert payouts_cancel(reference="award:3") == 0
    assert Entry.objects.filter(kind="forfeit").count() == 1


def test_cancelling_an_award_without_payouts_does_nothing(escrowed):
    assert payouts_cancel(reference="award:404") == 0
    assert not Entry.objects.filter(kind="forfeit").exists()


@pytest.mark.parametrize("busy", ["paid", "in flight", "reversed"])
def test_cancelling_is_refused_once_any_payout_is_paid_or_under_way(
    escrowed, team, busy, monkeypatch
):
    first, _second = release(escrowed, [(team[0], 600), (team[1], 400)])
    if busy == "in flight":

        def down(self, payout):
            raise GatewayUnavailable("timed out")

        monkeypatch.setattr(LocalGateway, "transfer", down)
        with pytest.raises(GatewayUnavailable):
            payout_send(payout_id=first.pk)
    else:
        payout_send(payout_id=first.pk)
    if busy == "reversed":
        payout_reverse(payout_id=first.pk)
    before = list(Payout.objects.order_by("pk").values_list("state", flat=True))

    with pytest.raises(ValidationError), transaction.atomic():
        payouts_cancel(reference="award:1")

    assert list(Payout.objects.order_by("pk").values_list("state", flat=True)) == before
    assert not Entry.objects.filter(kind="forfeit").exists()


def test_a_cancelled_payout_is_never_sent_or_confirmed(escrowed, team):
    (payout,) = release(escrowed, [(team[0], 100)])
    payouts_cancel(reference="award:1")

    assert payout_send(payout_id=payout.pk).attempts == 0
    with pytest.raises(PayoutCancelled):
        payout_confirm(payout_id=payout.pk, provider_id="tr_surprise")

    payout.refresh_from_db()
    assert (payout.state, payout.provider_id) == (S.CANCELLED, "")
    assert not Entry.objects.filter(kind="payout").exists()


# --- reads and the whole statement -------------------------------------------------------


def test_statement_and_totals_through_a_whole_award_round(escrowed, team, monkeypatch):
    """Two awards: the first's payees are paid, one payment is then reversed; the
    second is forfeited after a refused transfer."""
    ada, ben = team
    a1, b1 = release(escrowed, [(ada, 700_000), (ben, 300_000)], reference="award:1")
    (a2,) = release(escrowed, [(ada, 500_000)], reference="award:2")
    payout_send(payout_id=a1.pk)
    payout_send(payout_id=b1.pk)
    payout_reverse(payout_id=b1.pk)
    monkeypatch.setattr(LocalGateway, "transfer", refuse("refused"))
    payout_send(payout_id=a2.pk)
    assert money(escrowed) == expected(held=1_000_000, owed=800_000, paid=700_000)
    assert payout_totals(subject_of(escrowed)) == {
        "pending": 0,
        "succeeded": 700_000,
        "failed": 500_000,
        "reversed": 300_000,
        "cancelled": 0,
    }

    payouts_cancel(reference="award:2")

    assert money(escrowed) == expected(held=1_500_000, owed=300_000, paid=700_000)
    assert payout_totals(subject_of(escrowed))["cancelled"] == 500_000
    assert [p.payee for p in payouts_for("award:1")] == [ada, ben]
    assert balance_of(subject_of(escrowed), "escrow") == 1_500_000
