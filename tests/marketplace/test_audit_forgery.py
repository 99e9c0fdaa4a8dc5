"""Forged history on a real one: a challenge is funded, opened, judged, both its awards
claimed, released and paid and the rest refunded, all through the services; then rows
are written by raw SQL with the database's guards off, as only a client going around
them could, and the ledger audit (with the core's rules) names each forgery."""

import pytest
from django.db.models import Count
from django.utils import timezone

from legal.models import Acceptance, Certificate, Deed, DeedVoid
from marketplace.awards.models import Award
from marketplace.awards.services.finalize import awards_finalize
from marketplace.core.references import subject_of
from marketplace.participation.models import Registration
from payouts.accounts import clearing_account, fees_account, payable_account, subject_account
from payouts.audit import run_audit
from payouts.models import Account, AccountPurpose, Entry, Payment
from tests.forgery import audit_forged, leg_added, leg_changed, sql
from tests.story import FEE, POOL, awarding, claim_both, propose_both

pytestmark = [pytest.mark.django_db, pytest.mark.corrupts_ledger]

CLEARING = clearing_account("local", "USD")[0]
FEES = fees_account("USD")[0]


@pytest.fixture
def history(django_capture_on_commit_callbacks):
    """Every kind of entry a challenge without trouble posts: its funding, its opening,
    two awards released and paid, and the refund of what no award took."""
    people = awarding()
    with django_capture_on_commit_callbacks(execute=True):
        claim_both(people, propose_both(people))
    with django_capture_on_commit_callbacks(execute=True):
        awards_finalize(challenge_id=people.challenge.pk, actor=people.owner)
    kinds = sorted(Entry.objects.values_list("kind", flat=True))
    assert kinds == ["fund", "open", "payout", "payout", "refund", "release", "release"]
    assert run_audit().breaches == []
    return people


def key_of(kind: str) -> str:
    return Entry.objects.filter(kind=kind).earliest("pk").idempotency_key


def funding(people) -> str:
    return subject_account(subject_of(people.challenge), AccountPurpose.FUNDING)[0]


def escrow(people) -> str:
    return subject_account(subject_of(people.challenge), AccountPurpose.ESCROW)[0]


def test_every_leg_raised_by_100_is_named_entry_by_entry_and_account_by_account(history):
    breaches = audit_forged(sql("UPDATE payouts_leg SET amount = amount + 100"))

    for key, legs in Entry.objects.annotate(n=Count("legs")).values_list("idempotency_key", "n"):
        assert f"entry {key}: legs in USD sum to {100 * legs}" in breaches
    for code, balance, legs in Account.objects.annotate(n=Count("legs")).values_list(
        "code", "balance", "n"
    ):
        assert f"account {code}: cached balance {balance}, legs say {balance + 100 * legs}" in (
            breaches
        )


def test_deleted_acceptances_are_named_by_the_registrations_that_point_at_them(history):
    registrations = list(Registration.objects.order_by("pk").values_list("pk", "acceptance_id"))
    assert len(registrations) == 2 and Acceptance.objects.count() == 2

    breaches = audit_forged(sql("DELETE FROM legal_acceptance"))

    assert breaches == [
        f"registration {pk}: its acceptance {acceptance} is gone"
        for pk, acceptance in registrations
    ]


def test_a_balanced_pair_added_to_the_old_funding_entry_with_the_balances_edited(history):
    """The legs sum to zero, every cached balance equals its legs, and the statement
    adds up (received and unallocated both grew): only the entry's shape gives it away."""
    key = key_of("fund")
    payment = Payment.objects.get()

    breaches = audit_forged(*leg_added(key, CLEARING, -100), *leg_added(key, funding(history), 100))

    total = POOL + FEE
    assert breaches == [
        f"entry {key}: legs {funding(history)} +100 USD, {funding(history)} +{total} USD, "
        f"{CLEARING} -{total} USD, {CLEARING} -100 USD; payment {payment.pk} calls for "
        f"{funding(history)} +{total} USD, {CLEARING} -{total} USD"
    ]


@pytest.mark.parametrize("kind", ["open", "release", "payout", "refund"])
def test_a_balanced_pair_added_to_an_old_entry_of_each_kind_is_named(history, kind):
    key = key_of(kind)
    touched = (
        Entry.objects.get(idempotency_key=key)
        .legs.exclude(account__purpose=AccountPurpose.CLEARING)
        .values_list("account__code", flat=True)[0]
    )

    breaches = audit_forged(*leg_added(key, CLEARING, -100), *leg_added(key, touched, 100))

    assert [line for line in breaches if line.startswith(f"entry {key}: legs ")]


def test_an_opening_whose_fee_is_not_the_fee_schedules(history):
    """Less taken from funding and less fee earned, balances edited to match: the entry
    balances and the statement adds up, but the fee is not the fee for the pool."""
    key = f"open:{history.challenge.pk}"

    breaches = audit_forged(
        *leg_changed(key, FEES, -1_000), *leg_changed(key, funding(history), 1_000)
    )

    assert breaches == [
        f"entry {key}: a fee of {FEE - 1_000}, but the fee schedule it opened under gives "
        f"{FEE} for a pool of {POOL}"
    ]


def test_a_later_change_of_the_fee_schedule_leaves_earlier_openings_sound(history, settings):
    """The opening recorded the schedule it was charged under: the operator may change
    the fee tiers and the minimum without making history a breach."""
    [details] = history.challenge.events.filter(name="open").values_list("details", flat=True)
    assert details["fee"] == FEE and details["fee_schedule"]["tiers"][0] == [100_000, "0.10"]
    settings.MARKETPLACE_FEE_TIERS = [[None, "0.20"]]
    settings.MARKETPLACE_FEE_MINIMUM = "50000"
    assert run_audit().breaches == []


def test_an_entry_with_one_leg(history):
    breaches = audit_forged(
        sql(
            "INSERT INTO payouts_entry (idempotency_key, kind, memo, reference, created_at)"
            " SELECT 'fund:lonely', 'fund', '', reference, created_at FROM payouts_entry"
            " WHERE idempotency_key = %s",
            key_of("fund"),
        ),
        *leg_added("fund:lonely", funding(history), 100),
    )

    assert breaches == [
        "entry fund:lonely: legs in USD sum to 100",
        "entry fund:lonely: 1 leg(s); at least two needed",
        "entry fund:lonely has no successful payment behind it",
    ]


def test_an_entry_of_a_kind_no_service_posts(history):
    key = key_of("refund")
    breaches = audit_forged(
        sql("UPDATE payouts_entry SET kind = 'adjustment' WHERE idempotency_key = %s", key)
    )
    assert f"entry {key}: 'adjustment' is not a kind of entry the ledger posts" in breaches


def test_the_pool_of_an_opened_challenge_edited(history):
    challenge = history.challenge
    breaches = audit_forged(
        sql(
            "UPDATE marketplace_challenge SET prize_pool = prize_pool + 100 WHERE id = %s",
            challenge.pk,
        )
    )
    assert breaches == [
        f"entry open:{challenge.pk}: {POOL} into escrow, but the prize pool is {POOL + 100}"
    ]


def test_a_winners_share_edited_after_the_release(history):
    award = Award.objects.earliest("pk")
    recipient = award.recipients.get()
    code = payable_account(recipient.user_id, "USD")[0]

    breaches = audit_forged(
        sql(
            "UPDATE marketplace_awardrecipient SET amount = amount + 100 WHERE id = %s",
            recipient.pk,
        )
    )

    assert breaches == [
        f"entry release:{award.reference}: pays {code} +{award.amount}; the winners are owed "
        f"{code} +{award.amount + 100}"
    ]


def test_deleted_deeds_and_certificates_are_named_by_the_awards(history):
    recipients = [
        (award.reference, recipient.user_id, recipient.deed_id)
        for award in Award.objects.order_by("pk")
        for recipient in award.recipients.all()
    ]

    deeds = audit_forged(sql("DELETE FROM legal_deed"))
    certificates = audit_forged(sql("DELETE FROM legal_certificate"))

    assert deeds == [
        f"{reference}: user {user}'s signed deed {deed} is gone"
        for reference, user, deed in recipients
    ]
    assert certificates == [
        f"{reference}: paid, but user {user}'s certificate is gone"
        for reference, user, _deed in recipients
    ]
    assert Certificate.objects.count() == 2  # the forgeries were rolled back


def test_a_void_mark_whose_deed_is_gone(history):
    deed = Deed.objects.earliest("pk")
    DeedVoid.objects.create(deed=deed, reason="forged for the test", voided_at=timezone.now())
    award = Award.objects.get(recipients__deed=deed)

    breaches = audit_forged(sql("DELETE FROM legal_deed WHERE id = %s", deed.pk))

    assert breaches == [
        f"{award.reference}: user {deed.signer_id}'s signed deed {deed.pk} is gone",
        f"void mark of deed {deed.pk}: the deed is gone",
    ]


def test_a_registration_pointed_at_another_solvers_acceptance(history):
    first, second = Registration.objects.order_by("pk")
    breaches = audit_forged(
        sql(
            "UPDATE marketplace_registration SET acceptance_id = %s WHERE id = %s",
            second.acceptance_id,
            first.pk,
        )
    )
    assert breaches == [
        f"registration {first.pk} (user {first.user_id}, challenge {first.challenge_id}): "
        f"acceptance {second.acceptance_id} was user {second.user_id}'s, of "
        f"{subject_of(history.challenge)}"
    ]


def test_an_opening_keyed_for_another_challenge_or_for_none(history):
    challenge = history.challenge
    key = f"open:{challenge.pk}"
    rekeyed = audit_forged(
        sql("UPDATE payouts_entry SET idempotency_key = 'open:0' WHERE idempotency_key = %s", key)
    )
    moved = audit_forged(
        sql("UPDATE payouts_entry SET reference = 'challenge:0' WHERE idempotency_key = %s", key)
    )

    assert rekeyed == [f"entry open:0: the opening of {subject_of(challenge)} is keyed {key}"]
    assert f"entry {key}: opens challenge:0, which is no challenge" in moved


def test_a_challenge_put_back_before_its_opening(history):
    challenge = history.challenge
    breaches = audit_forged(
        sql(
            "UPDATE marketplace_challenge SET state = 'awaiting_funding' WHERE id = %s",
            challenge.pk,
        )
    )
    assert breaches == [
        f"entry open:{challenge.pk}: {subject_of(challenge)} is awaiting_funding and was never "
        "opened"
    ]


def test_a_challenge_whose_currency_was_edited(history):
    challenge = history.challenge
    breaches = audit_forged(
        sql("UPDATE marketplace_challenge SET currency = 'EUR' WHERE id = %s", challenge.pk)
    )
    assert f"entry open:{challenge.pk}: escrow in USD, but the challenge is in EUR" in breaches


def test_an_award_whose_release_was_erased(history):
    award = Award.objects.earliest("pk")
    breaches = audit_forged(
        sql("UPDATE marketplace_award SET released_at = NULL WHERE id = %s", award.pk)
    )
    assert breaches == [
        f"{award.reference}: payouts exist but the award was never released (paid)",
        f"entry release:{award.reference}: {award.reference} was never released (paid)",
    ]


def test_a_winner_whose_deed_was_unlinked_or_moved_to_another_award(history):
    award = Award.objects.earliest("pk")
    recipient = award.recipients.get()
    unlinked = audit_forged(
        sql("UPDATE marketplace_awardrecipient SET deed_id = NULL WHERE id = %s", recipient.pk)
    )
    moved = audit_forged(
        sql("UPDATE legal_deed SET reference = 'award:0' WHERE id = %s", recipient.deed_id)
    )

    assert unlinked == [
        f"{award.reference}: paid out without every winner's signed deed",
        f"{award.reference} is paid without user {recipient.user_id}'s signed deed",
    ]
    assert moved == [
        f"{award.reference}: user {recipient.user_id}'s deed {recipient.deed_id} was signed by "
        f"user {recipient.user_id} for award:0"
    ]


def test_a_release_rekeyed_to_an_award_that_does_not_exist(history):
    award = Award.objects.earliest("pk")
    key = f"release:{award.reference}"
    breaches = audit_forged(
        sql(
            "UPDATE payouts_entry SET idempotency_key = 'release:award:0'"
            " WHERE idempotency_key = %s",
            key,
        )
    )
    assert "entry release:award:0: releases no award" in breaches
    assert f"{award.reference}: released, but no release entry was posted" in breaches
