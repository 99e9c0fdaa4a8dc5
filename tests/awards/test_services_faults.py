"""What goes wrong around awards, end to end through the award services: each fault is
refused or absorbed, nothing is paid twice, and the ledger audit stays clean after
every test (the autouse fixture runs it)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from legal.models import Deed
from marketplace.awards.models import Award, AwardState
from marketplace.awards.services.claim import award_accept, award_deed_sign
from marketplace.awards.services.deeds import award_deed
from marketplace.awards.services.payment import award_release_held, awards_settle_released
from marketplace.awards.services.propose import award_propose
from marketplace.awards.services.release import awards_recheck_for
from marketplace.challenges.models import PlannedAward
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.judging.models import Evaluation
from marketplace.judging.services import evaluation_save
from marketplace.lifecycle.services import challenge_transition
from marketplace.notifications.kinds import notification_message
from marketplace.notifications.models import Notification, NotificationKind
from marketplace.submissions.services import submission_withdraw
from payouts.models import Entry, GatewayEvent, Payout, PayoutState
from payouts.selectors import statement
from tests.concurrency import in_threads
from tests.conftest import skip_unless
from tests.payouts.conftest import CONNECTED, TRANSFERS, transfer_event
from tests.payouts.conftest import deliver as deliver  # a fixture
from tests.payouts.conftest import stripe_transfers as stripe_transfers  # a fixture
from tests.story import (
    PARTIAL,
    PLANNED,
    awarding,
    cast,
    claim,
    judged,
    judging,
    open_with_entries,
    propose_both,
)


def ledger_rows() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Entry, Payout, Award)
    }


def field_errors(exc: ValidationError) -> dict:
    return {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}


@pytest.mark.django_db
def test_awards_cannot_exceed_the_escrow_held():
    """The plan always adds up to the pool the services put in escrow, so the guard is
    reached only when the two disagree: the second award is raised behind their back."""
    people = awarding()
    first, second = people.planned
    PlannedAward.objects.filter(pk=second.pk).update(amount=PLANNED[1] + 1)
    award_propose(
        challenge_id=people.challenge.pk,
        actor=people.owner,
        submission_id=people.submissions[0].pk,
        planned_award_id=first.pk,
    )
    before = ledger_rows()
    with pytest.raises(ValidationError) as refused:
        award_propose(
            challenge_id=people.challenge.pk,
            actor=people.owner,
            submission_id=people.submissions[1].pk,
            planned_award_id=second.pk,
        )
    assert field_errors(refused.value) == {
        "amount": [
            "The awards would exceed the prize money held in escrow: $3,000.00 is still available."
        ]
    }
    assert ledger_rows() == before
    award_propose(
        challenge_id=people.challenge.pk,
        actor=people.owner,
        submission_id=people.submissions[1].pk,
        planned_award_id=second.pk,
        amount=PLANNED[1],
    )
    assert sum(Award.objects.values_list("amount", flat=True)) == sum(PLANNED)


@pytest.mark.django_db
def test_scores_outside_zero_to_ten_and_after_judging_are_refused():
    people = judging(open_with_entries(cast()))
    judge, entry = people.judges[0], people.submissions[0]
    requirement = people.requirements[0]
    for score in (11, -1, "ten"):
        with pytest.raises(ValidationError) as refused:
            evaluation_save(submission_id=entry.pk, judge=judge, scores={requirement.pk: score})
        assert list(refused.value.message_dict) == [f"score_{requirement.pk}"]
    assert not Evaluation.objects.exists()

    for score in (0, 10):  # both ends are allowed
        evaluation_save(submission_id=entry.pk, judge=judge, scores={requirement.pk: score})
    assert Evaluation.objects.get().score == 10

    challenge_transition(
        challenge_id=people.challenge.pk, name="start_awarding", actor=people.owner
    )
    with pytest.raises(IllegalTransition) as closed:
        evaluation_save(submission_id=entry.pk, judge=judge, scores={requirement.pk: 3})
    assert (closed.value.code, closed.value.state) == ("judging_closed", "awarding")
    assert Evaluation.objects.get().score == 10


@pytest.mark.django_db
def test_a_withdrawn_entry_cannot_be_selected():
    people = open_with_entries(cast())
    withdrawn = people.submissions[1]
    submission_withdraw(submission_id=withdrawn.pk, actor=people.solvers[1])
    judged(people)
    before = ledger_rows()
    with pytest.raises(ValidationError) as refused:
        award_propose(
            challenge_id=people.challenge.pk,
            actor=people.owner,
            submission_id=withdrawn.pk,
            planned_award_id=people.planned[0].pk,
        )
    assert field_errors(refused.value) == {
        "submission": ["This entry was withdrawn and cannot win."]
    }
    assert ledger_rows() == before


@pytest.mark.django_db
def test_nobody_signs_someone_elses_deed():
    people = awarding()
    mine, theirs = propose_both(people)
    ada, ben = people.solvers
    deed = award_deed(award=mine, user=ada)
    for intruder in (ben, people.owner, people.staff, people.judges[0]):
        with pytest.raises(NotAllowed):
            award_deed_sign(
                award_id=mine.pk,
                user=intruder,
                accepted_sha256=deed.sha256,
                signature=ada.full_name,
            )
    # Nor does the rightful winner sign with someone else's name.
    with pytest.raises(ValidationError) as forged:
        award_deed_sign(
            award_id=mine.pk, user=ada, accepted_sha256=deed.sha256, signature=ben.full_name
        )
    assert list(forged.value.message_dict) == ["signature"]
    assert not Deed.objects.exists()
    assert Award.objects.get(pk=mine.pk).state == AwardState.PROPOSED
    assert Award.objects.get(pk=theirs.pk).state == AwardState.PROPOSED


@pytest.mark.django_db
def test_nothing_is_released_before_the_winner_is_verified():
    people = awarding()
    award, _second = propose_both(people)
    ada = people.solvers[0]
    seen = []

    def nothing_released():
        before = ledger_rows()
        award_release_held(award_id=award.pk)
        awards_settle_released()
        seen.append(Award.objects.get(pk=award.pk).state)
        assert ledger_rows() == before

    nothing_released()  # proposed
    award_accept(award_id=award.pk, user=ada)
    nothing_released()  # accepted
    deed = award_deed(award=award, user=ada)
    award_deed_sign(
        award_id=award.pk, user=ada, accepted_sha256=deed.sha256, signature=ada.full_name
    )
    nothing_released()  # deed signed, no tax form yet
    assert seen == [AwardState.PROPOSED, AwardState.ACCEPTED, AwardState.DEED_SIGNED]
    assert statement(f"challenge:{people.challenge.pk}")["owed"] == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_verifying_from_several_places_at_once_releases_and_pays_once():
    """The winners' details are on file; their own recheck, the sweep and a held-award
    release race for each award: one release entry and one payout each."""
    skip_unless(connection.vendor == "postgresql", "row locks need PostgreSQL", service="postgres")
    people = awarding()
    awards = propose_both(people)
    for award, user, tax in zip(awards, people.solvers, ("w9", "w8ben"), strict=True):
        claim(award, user, tax=tax, recheck=False)

    def verify(i: int) -> None:
        award, user = awards[i % 2], people.solvers[i % 2]
        if i < 2:
            awards_recheck_for(user=user)
        elif i < 4:
            award_release_held(award_id=award.pk)
        else:
            awards_settle_released()

    failures = [r for r in in_threads(6, verify) if isinstance(r, Exception)]
    assert failures == []

    awards_settle_released()  # whatever the race left pending is settled on the next beat
    assert Entry.objects.filter(kind="release").count() == 2
    for award, solver, amount in zip(awards, people.solvers, (PLANNED[0], PARTIAL), strict=True):
        [payout] = Payout.objects.filter(reference=award.reference)
        assert (payout.payee, payout.amount, payout.state) == (
            solver,
            amount,
            PayoutState.SUCCEEDED,
        )
        assert (
            Entry.objects.filter(kind="payout", idempotency_key=f"payout:{payout.key}").count() == 1
        )
        assert Award.objects.get(pk=award.pk).state == AwardState.PAID


# --- through the stripe gateway (a fake Stripe Transfers API on loopback) ---------------


@pytest.fixture
def paying(stripe_transfers, settings, django_capture_on_commit_callbacks):
    """A 7,000.00 award whose winner has a Stripe account and has signed, and release()
    that verifies it, which releases it, and runs what that queues (the payout task,
    eagerly). The library does not retry by itself here: a 500 reaches the task, which
    retries."""
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    people = awarding()
    award, _second = propose_both(people)
    winner = people.solvers[0]
    claim(award, winner, destination=CONNECTED, recheck=False)

    def release():
        with django_capture_on_commit_callbacks(execute=True):
            awards_recheck_for(user=winner)
        return Payout.objects.get(reference=award.reference)

    return SimpleNamespace(people=people, award=award, release=release, stripe=stripe_transfers)


@pytest.mark.django_db
def test_stripe_answering_500_then_succeeding_makes_one_transfer(paying):
    paying.stripe.faults = ["500"]
    payout = paying.release()
    key = f"payout:{payout.key}"
    assert paying.stripe.keys("POST", TRANSFERS) == [key, key]
    assert list(paying.stripe.made) == [payout.provider_id]
    assert (payout.state, payout.attempts) == (PayoutState.SUCCEEDED, 2)
    assert Entry.objects.filter(kind="payout").count() == 1
    assert Award.objects.get(pk=paying.award.pk).state == AwardState.PAID


@pytest.mark.django_db
def test_a_duplicated_transfer_webhook_posts_one_entry(paying, deliver):
    payout = paying.release()
    transfer = paying.stripe.made[payout.provider_id]
    for event_id in ("evt_transfer_1", "evt_transfer_1", "evt_transfer_2"):
        assert deliver(transfer_event(transfer, event_id=event_id)).status_code == 200
    assert GatewayEvent.objects.count() == 2
    assert Entry.objects.filter(kind="payout").count() == 1
    assert Payout.objects.get().state == PayoutState.SUCCEEDED
    assert Award.objects.get(pk=paying.award.pk).state == AwardState.PAID


@pytest.mark.django_db
def test_a_payout_that_finally_fails_is_shown_to_staff_who_retry_it(
    paying, client, django_capture_on_commit_callbacks
):
    paying.stripe.faults = ["500"] * 9  # the first try and every retry of the task
    payout = paying.release()
    assert (payout.state, payout.attempts) == (PayoutState.FAILED, 9)
    assert "An unknown error occurred" in payout.failure_message
    assert not paying.stripe.made and Entry.objects.filter(kind="payout").count() == 0
    assert Award.objects.get(pk=paying.award.pk).state == AwardState.VERIFIED

    client.force_login(paying.people.staff)
    page = client.get(reverse("staff_payouts"), {"state": "attention"}).content.decode()
    assert f'id="payout-{payout.pk}"' in page and "An unknown error occurred" in page
    listed = client.get("/api/v1/staff/payouts/", {"state": "failed"}).json()["results"]
    assert [(p["id"], p["state"]) for p in listed] == [(payout.pk, "failed")]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff_payout_retry", args=[payout.pk]), follow=True)
    assert f"Payout #{payout.pk} was sent again" in response.content.decode()
    payout.refresh_from_db()
    assert (payout.state, payout.failure_message) == (PayoutState.SUCCEEDED, "")
    assert list(paying.stripe.made) == [payout.provider_id]
    assert Entry.objects.filter(kind="payout").count() == 1
    assert Award.objects.get(pk=paying.award.pk).state == AwardState.PAID


@pytest.mark.django_db
def test_a_transfer_confirmed_only_by_its_webhook_pays_the_award(paying, deliver):
    """Stripe made the transfer but every answer was lost; the task gave up. Stripe's
    transfer.created webhook is then the only news that the money went out."""
    paying.stripe.faults = ["lost"] * 9
    payout = paying.release()
    assert payout.state == PayoutState.FAILED
    [transfer] = paying.stripe.made.values()
    assert deliver(transfer_event(transfer)).status_code == 200
    payout.refresh_from_db()
    assert (payout.state, payout.provider_id) == (PayoutState.SUCCEEDED, transfer["id"])
    assert Entry.objects.filter(kind="payout").count() == 1
    assert Award.objects.get(pk=paying.award.pk).state == AwardState.PAID


@pytest.mark.django_db
def test_staff_hear_once_of_a_payout_that_finally_failed(
    paying, mailoutbox, django_capture_on_commit_callbacks
):
    paying.stripe.faults = ["500"] * 9
    payout = paying.release()
    assert payout.state == PayoutState.FAILED
    staff = paying.people.staff
    [row] = Notification.objects.filter(kind=NotificationKind.PAYOUT_FAILED)
    assert (row.user, row.award_id) == (staff, paying.award.pk)
    message = notification_message(row)
    assert message.subject == f"Payout failed: {paying.people.challenge.title}"
    assert f"Payout {payout.pk} of $7,000.00" in message.text
    assert message.url == reverse("staff_payouts")
    assert "An unknown error occurred" in message.note
    assert [m.to for m in mailoutbox if m.subject == message.subject] == [[staff.email]]


@pytest.mark.django_db
def test_staff_hear_once_of_a_paid_payout_taken_back(
    paying, deliver, django_capture_on_commit_callbacks
):
    payout = paying.release()
    assert payout.state == PayoutState.SUCCEEDED
    assert not Notification.objects.filter(kind=NotificationKind.PAYOUT_FAILED).exists()
    reversed_transfer = paying.stripe.reverse(payout.provider_id)
    for event_id in ("evt_reversed_1", "evt_reversed_2"):
        with django_capture_on_commit_callbacks(execute=True):
            assert deliver(transfer_event(reversed_transfer, event_id)).status_code == 200
    payout.refresh_from_db()
    assert payout.state == PayoutState.REVERSED
    [row] = Notification.objects.filter(kind=NotificationKind.PAYOUT_FAILED)
    assert (row.user, row.award_id) == (paying.people.staff, paying.award.pk)
    message = notification_message(row)
    assert message.subject == f"Payout reversed: {paying.people.challenge.title}"
    assert f"Payout {payout.pk} of $7,000.00" in message.text
    assert "taken back by the payment provider" in message.text
    assert "owed to the payee again" in message.text
    assert message.url == reverse("staff_payouts")
