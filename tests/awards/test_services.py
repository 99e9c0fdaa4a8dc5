"""Choosing winners: proposing awards (full, partial, for a team), the limits set by
the award plan and the escrow, forfeiting an unclaimed award, finishing the selection,
and ending with no award."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.awards.models import Award
from marketplace.awards.models import AwardState as A
from marketplace.awards.services.budget import award_budget
from marketplace.awards.services.finalize import awards_finalize
from marketplace.awards.services.forfeit import award_forfeit
from marketplace.awards.services.propose import award_propose
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.lifecycle.services import challenge_transition
from marketplace.notifications.models import Notification, NotificationKind
from marketplace.submissions.services import submission_withdraw
from payouts.selectors import statement
from tests.factories import (
    ChallengeFactory,
    RegistrationFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    judged_challenge,
    submission_for,
)

pytestmark = pytest.mark.django_db

POOL = 2_500_000


@pytest.fixture
def jc(org, owner):
    """Awarding: escrow holds the pool of 25,000.00, planned as 15,000.00 + 10,000.00;
    three entries."""
    return judged_challenge(org, owner, entrants=3, awards=[1_500_000, 1_000_000], state=S.AWARDING)


def slots(jc):
    return list(jc.challenge.planned_awards.all())


def propose(jc, actor, entry: int = 0, slot: int = 0, amount=None) -> Award:
    return award_propose(
        challenge_id=jc.challenge.pk,
        actor=actor,
        submission_id=jc.submissions[entry].pk,
        planned_award_id=slots(jc)[slot].pk,
        amount=amount,
    )


def expire(award):
    Award.objects.filter(pk=award.pk).update(claim_deadline=timezone.now() - timedelta(minutes=1))


def subject(challenge) -> str:
    return f"challenge:{challenge.pk}"


class TestPropose:
    def test_full_award_to_a_solver(self, jc, owner):
        award = propose(jc, owner)
        assert (award.state, award.amount) == (A.PROPOSED, 1_500_000)
        assert award.claim_deadline > timezone.now() + timedelta(days=29)
        recipient = award.recipients.get()
        assert (recipient.user, recipient.share_bps, recipient.amount) == (
            jc.solvers[0],
            10_000,
            1_500_000,
        )
        assert award_budget(jc.challenge).committed == 1_500_000
        assert award_budget(jc.challenge).available == POOL - 1_500_000
        assert Notification.objects.filter(
            user=jc.solvers[0], kind=NotificationKind.AWARD_WON, award=award
        ).exists()

    def test_partial_award(self, jc, owner):
        award = propose(jc, owner, amount=400_000)
        assert award.amount == award.recipients.get().amount == 400_000
        assert award_budget(jc.challenge).available == POOL - 400_000

    @pytest.mark.parametrize("amount", [1_500_001, 0, -5, True, 10.0, "100"])
    def test_amount_is_positive_whole_minor_units_within_the_plan(self, jc, owner, amount):
        with pytest.raises(ValidationError) as exc:
            propose(jc, owner, amount=amount)
        assert "amount" in exc.value.message_dict
        assert not Award.objects.exists()

    def test_team_award_is_split_by_the_frozen_shares_and_adds_up(self, org, owner):
        jc = judged_challenge(org, owner, entrants=0, state=S.OPEN)
        captain, second, third = (UserFactory() for _ in range(3))
        for person in (captain, second, third):
            RegistrationFactory(challenge=jc.challenge, user=person)
        team = TeamFactory(challenge=jc.challenge, captain=captain)
        for person in (second, third):
            TeamMemberFactory(team=team, user=person, state="active")
        for person, bps in ((captain, 3_334), (second, 3_333), (third, 3_333)):
            team.members.filter(user=person).update(share_bps=bps)
        entry = submission_for(jc.challenge, captain, team=team)
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.AWARDING)
        award = award_propose(
            challenge_id=jc.challenge.pk,
            actor=owner,
            submission_id=entry.pk,
            planned_award_id=jc.challenge.planned_awards.get().pk,
            amount=1_000_001,
        )
        parts = {r.user_id: (r.share_bps, r.amount) for r in award.recipients.all()}
        assert parts == {
            captain.pk: (3_334, 333_401),  # 333,400.3334: the largest remainder gets the cent
            second.pk: (3_333, 333_300),
            third.pk: (3_333, 333_300),
        }
        assert sum(amount for _bps, amount in parts.values()) == award.amount == 1_000_001
        assert (
            Notification.objects.filter(award=award, kind=NotificationKind.AWARD_WON).count() == 3
        )

    def test_withdrawn_entry_cannot_win(self, org, owner):
        jc = judged_challenge(org, owner, entrants=2, state=S.OPEN)
        submission_withdraw(submission_id=jc.submissions[0].pk, actor=jc.solvers[0])
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.AWARDING)
        with pytest.raises(ValidationError) as exc:
            propose(jc, owner)
        assert "withdrawn" in str(exc.value.message_dict["submission"])

    def test_award_above_the_held_escrow_is_refused(self, org, owner):
        challenge = ChallengeFactory(organization=org, created_by=owner, state=S.OPEN)
        solver = RegistrationFactory(challenge=challenge).user
        entry = submission_for(challenge, solver)
        Challenge.objects.filter(pk=challenge.pk).update(state=S.AWARDING)  # escrow holds 0
        with pytest.raises(ValidationError) as exc:
            award_propose(
                challenge_id=challenge.pk,
                actor=owner,
                submission_id=entry.pk,
                planned_award_id=challenge.planned_awards.get().pk,
            )
        assert "exceed the prize money held in escrow" in str(exc.value.message_dict["amount"])
        assert not Award.objects.exists()

    def test_a_planned_award_is_given_once(self, jc, owner):
        propose(jc, owner, entry=0, slot=0)
        with pytest.raises(ValidationError) as exc:
            propose(jc, owner, entry=1, slot=0)
        assert "planned_award" in exc.value.message_dict

    def test_an_entry_wins_once(self, jc, owner):
        propose(jc, owner, entry=0, slot=0)
        with pytest.raises(ValidationError) as exc:
            propose(jc, owner, entry=0, slot=1)
        assert "submission" in exc.value.message_dict

    def test_entry_and_award_of_another_challenge_are_refused(self, jc, owner, org):
        other = judged_challenge(org, owner, entrants=1, state=S.AWARDING)
        with pytest.raises(ValidationError) as exc:
            award_propose(
                challenge_id=jc.challenge.pk,
                actor=owner,
                submission_id=other.submissions[0].pk,
                planned_award_id=slots(jc)[0].pk,
            )
        assert "submission" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            award_propose(
                challenge_id=jc.challenge.pk,
                actor=owner,
                submission_id=jc.submissions[0].pk,
                planned_award_id=other.challenge.planned_awards.get().pk,
            )
        assert "planned_award" in exc.value.message_dict

    @pytest.mark.parametrize("who", ["manager", "judge", "outsider", "solver"])
    def test_only_owners_and_staff(self, request, jc, who):
        with pytest.raises(NotAllowed):
            propose(jc, request.getfixturevalue(who))

    def test_staff_may_propose(self, jc, staff):
        assert propose(jc, staff).proposed_by == staff

    @pytest.mark.parametrize("state", [S.CLOSED, S.JUDGING, S.COMPLETED])
    def test_only_while_awarding(self, jc, owner, state):
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=state)
        with pytest.raises(IllegalTransition):
            propose(jc, owner)


class TestForfeit:
    def test_forfeit_after_the_claim_deadline_frees_the_slot_for_the_next_entry(self, jc, owner):
        first = propose(jc, owner, entry=0, slot=0)
        expire(first)
        first = award_forfeit(award_id=first.pk, actor=owner)
        assert first.state == A.FORFEITED
        assert first.forfeit_reason == "The claim deadline passed."
        assert award_budget(jc.challenge).available == POOL
        runner_up = propose(jc, owner, entry=1, slot=0)
        assert runner_up.state == A.PROPOSED
        assert award_budget(jc.challenge).committed == 1_500_000

    def test_not_before_the_claim_deadline(self, jc, owner):
        award = propose(jc, owner)
        with pytest.raises(IllegalTransition) as exc:
            award_forfeit(award_id=award.pk, actor=owner)
        assert exc.value.code == "not_forfeitable"

    def test_staff_forfeit_any_time_with_a_reason(self, jc, owner, staff):
        award = propose(jc, owner)
        with pytest.raises(ValidationError):
            award_forfeit(award_id=award.pk, actor=staff)
        award = award_forfeit(award_id=award.pk, actor=staff, reason="Ineligible winner")
        assert (award.state, award.forfeit_reason) == (A.FORFEITED, "Ineligible winner")

    def test_forfeiting_twice_is_harmless_and_the_owners_are_told(self, jc, owner):
        award = propose(jc, owner)
        expire(award)
        award_forfeit(award_id=award.pk, actor=owner)
        award_forfeit(award_id=award.pk, actor=owner)
        told = Notification.objects.filter(kind=NotificationKind.AWARD_FORFEITED, award=award)
        assert set(told.values_list("user", flat=True)) == {owner.pk, jc.solvers[0].pk}


class TestFinish:
    def test_finalize_needs_a_live_award(self, jc, owner):
        with pytest.raises(ValidationError) as exc:
            awards_finalize(challenge_id=jc.challenge.pk, actor=owner)
        assert "awards" in exc.value.message_dict

    def test_finalize_closes_the_selection_until_an_award_is_forfeited(self, jc, owner):
        award = propose(jc, owner)
        challenge = awards_finalize(challenge_id=jc.challenge.pk, actor=owner)
        assert challenge.state == S.AWARDING  # the award is not paid yet
        assert challenge.awards_final_at is not None
        assert awards_finalize(challenge_id=jc.challenge.pk, actor=owner).awards_final_at == (
            challenge.awards_final_at
        )
        with pytest.raises(IllegalTransition) as exc:
            propose(jc, owner, entry=1, slot=1)
        assert exc.value.code == "awards_final"
        expire(award)
        award_forfeit(award_id=award.pk, actor=owner)
        assert Challenge.objects.get(pk=jc.challenge.pk).awards_final_at is None
        assert propose(jc, owner, entry=1, slot=0).state == A.PROPOSED

    @pytest.mark.parametrize("who", ["manager", "judge"])
    def test_only_owners_finalize(self, request, jc, owner, who):
        propose(jc, owner)
        with pytest.raises(NotAllowed):
            awards_finalize(challenge_id=jc.challenge.pk, actor=request.getfixturevalue(who))

    def test_no_award_needs_a_reason(self, jc, owner):
        with pytest.raises(ValidationError) as exc:
            challenge_transition(challenge_id=jc.challenge.pk, name="declare_no_award", actor=owner)
        assert "reason" in exc.value.message_dict

    def test_no_award_withdraws_the_awards_and_refunds_the_pool(
        self, jc, owner, django_capture_on_commit_callbacks
    ):
        award = propose(jc, owner)
        with django_capture_on_commit_callbacks(execute=True):
            challenge = challenge_transition(
                challenge_id=jc.challenge.pk,
                name="declare_no_award",
                actor=owner,
                reason="No entry met the brief",
            )
        assert challenge.state == S.NO_AWARD
        award = Award.objects.get(pk=award.pk)
        assert (award.state, award.forfeit_reason) == (A.FORFEITED, "No entry met the brief")
        told = Notification.objects.filter(kind=NotificationKind.AWARD_FORFEITED, award=award)
        assert [n.user_id for n in told] == [r.user_id for r in award.recipients.all()]
        figures = statement(subject(challenge))
        assert figures["balanced"]
        assert (figures["held"], figures["owed"], figures["paid"]) == (0, 0, 0)
        assert figures["refunded"] == POOL
        assert figures["received"] == figures["fee"] + figures["refunded"]
