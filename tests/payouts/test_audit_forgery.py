"""Forged history in the ledger itself: a challenge funded and opened, awards released,
paid, forfeited and reversed and the rest refunded, all through the services (one entry
of every kind); then rows are written by raw SQL with the database's guards off, and
the audit names the entry each forgery touched by the shape its kind must have."""

import pytest
from django.db import transaction

from marketplace.core.references import subject_of
from payouts.accounts import clearing_account, payable_account
from payouts.audit import run_audit
from payouts.models import AccountPurpose, Entry, Payment, Refund
from payouts.services.payments import refund_send, refunds_start
from payouts.services.payouts import payout_reverse, payout_send, payouts_cancel
from tests.factories import UserFactory
from tests.forgery import audit_forged, leg_added, sql

from .conftest import release

pytestmark = [pytest.mark.django_db, pytest.mark.corrupts_ledger]

CLEARING = clearing_account("local", "USD")[0]
KINDS = ["fund", "open", "release", "payout", "reverse", "forfeit", "refund"]


@pytest.fixture
def people(db):
    return UserFactory(), UserFactory()


@pytest.fixture
def ledger(escrowed, people):
    """award:1 paid to both, award:2 forfeited, award:3 paid and reversed, the rest of
    escrow refunded."""
    ada, ben = people
    for payout in release(escrowed, [(ada, 600), (ben, 400)], reference="award:1"):
        payout_send(payout_id=payout.pk)
    release(escrowed, [(ben, 50)], reference="award:2")
    with transaction.atomic():
        payouts_cancel(reference="award:2")
    (third,) = release(escrowed, [(ada, 70)], reference="award:3")
    payout_send(payout_id=third.pk)
    payout_reverse(payout_id=third.pk)
    with transaction.atomic():
        refunds = refunds_start(subject=subject_of(escrowed), reason="ended", include_escrow=True)
    for refund in refunds:
        refund_send(refund_id=refund.pk)
    assert set(Entry.objects.values_list("kind", flat=True)) == set(KINDS)
    assert run_audit().breaches == []
    return escrowed


def key_of(kind: str) -> str:
    return Entry.objects.filter(kind=kind).earliest("pk").idempotency_key


@pytest.mark.parametrize("kind", KINDS)
def test_a_balanced_pair_added_to_an_old_entry_is_named_by_its_shape(ledger, kind):
    key = key_of(kind)
    touched = (
        Entry.objects.get(idempotency_key=key)
        .legs.exclude(account__purpose=AccountPurpose.CLEARING)
        .order_by("pk")
        .values_list("account__code", flat=True)[0]
    )

    breaches = audit_forged(*leg_added(key, CLEARING, -100), *leg_added(key, touched, 100))

    assert [line for line in breaches if line.startswith(f"entry {key}: legs ")], breaches


def test_a_payout_posted_to_another_payees_account(ledger, people):
    ada, _ben = people
    key = f"payout:award:1:{ada.pk}"
    to_ada, to_ben = (payable_account(user.pk, "USD")[0] for user in people)
    moved = sql(
        "UPDATE payouts_leg SET account_id = (SELECT id FROM payouts_account WHERE code = %s)"
        " WHERE entry_id = (SELECT id FROM payouts_entry WHERE idempotency_key = %s)"
        " AND account_id = (SELECT id FROM payouts_account WHERE code = %s)",
        to_ben,
        key,
        to_ada,
    )

    breaches = audit_forged(moved)

    assert f"entry {key}: payable legs {{'{to_ben}': -600}}, payouts say {{'{to_ada}': -600}}" in (
        breaches
    )
    assert [line for line in breaches if line.startswith(f"entry {key}: legs ")]


def test_an_entry_posted_for_another_subject(ledger):
    key = key_of("fund")
    payment = Payment.objects.get()
    breaches = audit_forged(
        sql("UPDATE payouts_entry SET reference = 'challenge:0' WHERE idempotency_key = %s", key)
    )
    assert (
        f"entry {key}: posted for 'challenge:0', but payment {payment.pk} is for "
        f"'{subject_of(ledger)}'" in breaches
    )


def test_a_subject_opened_twice(ledger):
    key = key_of("open")
    copied = [
        sql(
            "INSERT INTO payouts_entry (idempotency_key, kind, memo, reference, created_at)"
            " SELECT 'open:again', kind, memo, reference, created_at FROM payouts_entry"
            " WHERE idempotency_key = %s",
            key,
        ),
        sql(
            "INSERT INTO payouts_leg (entry_id, account_id, amount, currency)"
            " SELECT (SELECT id FROM payouts_entry WHERE idempotency_key = 'open:again'),"
            " account_id, amount, currency FROM payouts_leg"
            " WHERE entry_id = (SELECT id FROM payouts_entry WHERE idempotency_key = %s)",
            key,
        ),
    ]

    breaches = audit_forged(*copied)

    assert f"{subject_of(ledger)}: opened by 2 entries; a subject opens once" in breaches


def test_a_refund_row_edited_to_say_it_came_from_funding(ledger):
    refund = Refund.objects.get()
    assert (refund.from_funding, refund.from_escrow) == (0, refund.amount)

    breaches = audit_forged(
        sql(
            "UPDATE payouts_refund SET from_funding = amount, from_escrow = 0 WHERE id = %s",
            refund.pk,
        )
    )

    escrow, funding = (f"{subject_of(ledger)}:{purpose}" for purpose in ("escrow", "funding"))
    assert breaches == [
        f"entry refund:{refund.pk}: legs {escrow} -{refund.amount} USD, {CLEARING} "
        f"+{refund.amount} USD; refund {refund.pk} calls for {funding} -{refund.amount} USD, "
        f"{CLEARING} +{refund.amount} USD"
    ]


def test_a_payment_amount_edited(ledger):
    payment = Payment.objects.get()
    breaches = audit_forged(
        sql("UPDATE payouts_payment SET amount = amount + 100 WHERE id = %s", payment.pk)
    )
    funding = f"{subject_of(ledger)}:funding"
    assert breaches == [
        f"entry fund:{payment.pk}: legs {funding} +{payment.amount} USD, {CLEARING} "
        f"-{payment.amount} USD; payment {payment.pk} calls for {funding} "
        f"+{payment.amount + 100} USD, {CLEARING} -{payment.amount + 100} USD"
    ]
