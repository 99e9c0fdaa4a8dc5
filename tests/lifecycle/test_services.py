from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.lifecycle.services import (
    challenge_extend_deadline,
    challenge_transition,
    challenges_close_expired,
)
from tests.factories import ChallengeFactory, RegistrationFactory, fund_challenge

pytestmark = pytest.mark.django_db


def go(challenge, name, actor, reason=""):
    return challenge_transition(challenge_id=challenge.pk, name=name, actor=actor, reason=reason)


def test_happy_path_to_open_logs_every_step(draft, owner, staff):
    go(draft, "submit", owner)
    go(draft, "approve", staff)
    fund_challenge(draft)
    opened = go(draft, "open", owner)
    assert opened.state == S.OPEN and opened.published_at is not None
    log = list(
        ChallengeEvent.objects.filter(challenge=draft).values_list(
            "from_state", "to_state", "actor"
        )
    )
    assert log == [
        (S.DRAFT, S.IN_REVIEW, owner.pk),
        (S.IN_REVIEW, S.AWAITING_FUNDING, staff.pk),
        (S.AWAITING_FUNDING, S.OPEN, owner.pk),
    ]


@pytest.mark.parametrize("name", ["approve", "open", "close", "start_judging", "complete"])
def test_transition_from_wrong_state_is_refused_and_changes_nothing(draft, staff, name):
    with pytest.raises(IllegalTransition) as exc:
        go(draft, name, staff)
    assert exc.value.state == S.DRAFT
    assert Challenge.objects.get(pk=draft.pk).state == S.DRAFT
    assert not ChallengeEvent.objects.exists()


def test_unknown_transition_is_refused(draft, owner):
    with pytest.raises(IllegalTransition) as exc:
        go(draft, "delete", owner)
    assert exc.value.code == "unknown_transition"


@pytest.mark.parametrize("who", ["judge", "solver", "outsider", "staff"])
def test_only_editors_submit(draft, request, who):
    with pytest.raises(NotAllowed):
        go(draft, "submit", request.getfixturevalue(who))
    assert Challenge.objects.get(pk=draft.pk).state == S.DRAFT


def test_manager_submits(draft, manager):
    assert go(draft, "submit", manager).state == S.IN_REVIEW


@pytest.mark.parametrize("name", ["approve", "reject", "return_to_draft"])
def test_owner_cannot_review_own_challenge(org, owner, name):
    challenge = ChallengeFactory(organization=org, state=S.IN_REVIEW)
    with pytest.raises(NotAllowed):
        go(challenge, name, owner, reason="x")


def test_return_and_reject_need_a_reason(org, staff):
    challenge = ChallengeFactory(organization=org, state=S.IN_REVIEW)
    with pytest.raises(ValidationError):
        go(challenge, "return_to_draft", staff, reason="  ")
    assert go(challenge, "return_to_draft", staff, reason="Clarify the IP terms.").state == S.DRAFT
    assert ChallengeEvent.objects.get(challenge=challenge).reason == "Clarify the IP terms."


def test_reject_cancels(org, staff):
    challenge = ChallengeFactory(organization=org, state=S.IN_REVIEW)
    assert go(challenge, "reject", staff, reason="Not a technical problem.").state == S.CANCELLED


def test_submit_needs_requirements_and_awards(org, owner):
    challenge = ChallengeFactory(organization=org, plan=False)
    with pytest.raises(IllegalTransition) as exc:
        go(challenge, "submit", owner)
    assert exc.value.code == "condition_failed"


def test_approve_refused_when_deadline_passed(org, staff):
    challenge = ChallengeFactory(organization=org, state=S.IN_REVIEW)
    Challenge.objects.filter(pk=challenge.pk).update(
        submission_deadline=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(IllegalTransition):
        go(challenge, "approve", staff)


def test_published_challenge_cancelled_only_by_staff_with_reason(org, owner, staff):
    challenge = ChallengeFactory(organization=org, state=S.OPEN)
    with pytest.raises(NotAllowed):
        go(challenge, "cancel", owner, reason="Changed our minds")
    with pytest.raises(ValidationError):
        go(challenge, "cancel", staff)
    assert go(challenge, "cancel", staff, reason="Seeker went bankrupt").state == S.CANCELLED


def test_owner_withdraws_unpublished_but_manager_cannot(org, owner, manager):
    challenge = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING)
    with pytest.raises(NotAllowed):
        go(challenge, "cancel", manager, reason="x")
    assert go(challenge, "cancel", owner, reason="Budget cut").state == S.CANCELLED


def test_close_requires_deadline_passed_and_system_or_staff(org, owner, staff):
    challenge = ChallengeFactory(organization=org, state=S.OPEN)
    with pytest.raises(IllegalTransition):
        go(challenge, "close", staff)
    Challenge.objects.filter(pk=challenge.pk).update(
        submission_deadline=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(NotAllowed):
        go(challenge, "close", owner)
    assert go(challenge, "close", None).state == S.CLOSED


def test_later_stages(org, owner, judge, staff):
    challenge = ChallengeFactory(organization=org, state=S.CLOSED)
    with pytest.raises(NotAllowed):
        go(challenge, "start_judging", judge)
    go(challenge, "start_judging", owner)
    go(challenge, "start_awarding", owner)
    with pytest.raises(IllegalTransition, match="not yet paid"):
        go(challenge, "complete", staff)  # no award chosen and paid yet
    other = ChallengeFactory(organization=org, state=S.JUDGING)
    assert (
        go(other, "declare_no_award", owner, reason="No entry met the requirements").state
        == S.NO_AWARD
    )


def test_state_field_is_protected(draft):
    with pytest.raises(AttributeError):
        draft.state = S.OPEN


class TestExtendDeadline:
    def test_extends_and_shifts_judging_and_mails_solvers(
        self, org, owner, mailoutbox, django_capture_on_commit_callbacks
    ):
        challenge = ChallengeFactory(organization=org, state=S.OPEN)
        reg = RegistrationFactory(challenge=challenge)
        old_sub, old_judge = challenge.submission_deadline, challenge.judging_deadline
        new = old_sub + timedelta(days=7)
        with django_capture_on_commit_callbacks(execute=True):
            updated = challenge_extend_deadline(
                challenge_id=challenge.pk, actor=owner, new_deadline=new
            )
        assert updated.submission_deadline == new
        assert updated.judging_deadline == old_judge + timedelta(days=7)
        assert [m.to for m in mailoutbox] == [[reg.user.email]]
        assert ChallengeEvent.objects.get(challenge=challenge).name == "extend_deadline"

    def test_never_shortens(self, org, owner):
        challenge = ChallengeFactory(organization=org, state=S.OPEN)
        with pytest.raises(ValidationError):
            challenge_extend_deadline(
                challenge_id=challenge.pk,
                actor=owner,
                new_deadline=challenge.submission_deadline - timedelta(hours=1),
            )
        assert (
            Challenge.objects.get(pk=challenge.pk).submission_deadline
            == challenge.submission_deadline
        )

    def test_not_after_close(self, org, owner):
        challenge = ChallengeFactory(organization=org, state=S.CLOSED)
        with pytest.raises(IllegalTransition):
            challenge_extend_deadline(
                challenge_id=challenge.pk,
                actor=owner,
                new_deadline=challenge.submission_deadline + timedelta(days=1),
            )

    def test_judge_cannot_extend(self, org, judge):
        challenge = ChallengeFactory(organization=org, state=S.OPEN)
        with pytest.raises(NotAllowed):
            challenge_extend_deadline(
                challenge_id=challenge.pk,
                actor=judge,
                new_deadline=challenge.submission_deadline + timedelta(days=1),
            )


class TestSweep:
    def test_closes_only_expired_open_challenges_once(self, org):
        past = timezone.now() - timedelta(minutes=1)
        expired = ChallengeFactory.create_batch(3, organization=org, state=S.OPEN)
        Challenge.objects.filter(pk__in=[c.pk for c in expired]).update(submission_deadline=past)
        future = ChallengeFactory(organization=org, state=S.OPEN)
        draft_past = ChallengeFactory(organization=org)
        Challenge.objects.filter(pk=draft_past.pk).update(submission_deadline=past)

        assert challenges_close_expired(batch_size=2) == 3
        assert challenges_close_expired() == 0
        assert set(Challenge.objects.filter(state=S.CLOSED).values_list("pk", flat=True)) == {
            c.pk for c in expired
        }
        assert Challenge.objects.get(pk=future.pk).state == S.OPEN
        assert Challenge.objects.get(pk=draft_past.pk).state == S.DRAFT
        assert ChallengeEvent.objects.filter(name="close", actor=None).count() == 3

    def test_query_count_does_not_grow_with_challenges(self, org, django_assert_max_num_queries):
        past = timezone.now() - timedelta(minutes=1)
        ChallengeFactory.create_batch(60, organization=org, state=S.OPEN, plan=False)
        Challenge.objects.update(submission_deadline=past)
        with django_assert_max_num_queries(12):
            assert challenges_close_expired(batch_size=1000) == 60
