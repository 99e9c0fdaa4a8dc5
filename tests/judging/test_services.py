"""Judging services (assigning judges, conflicts, scores, shortlist) and the scoreboard."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from marketplace.accounts.models import User
from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.judging.models import Evaluation, JudgeAssignment
from marketplace.judging.scoreboard import scoreboard
from marketplace.judging.selectors import own_scores
from marketplace.judging.services import (
    conflict_declare,
    evaluation_save,
    judge_assign,
    judge_unassign,
    submission_shortlist,
)
from marketplace.organisations.roles import OrgRole
from marketplace.submissions.models import Submission
from marketplace.submissions.permissions import can_read_submission
from marketplace.submissions.selectors import challenge_submissions_for
from tests.factories import EvaluationFactory, MembershipFactory, judged_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_judge(org):
    return MembershipFactory(organization=org, role=OrgRole.JUDGE).user


@pytest.fixture
def jc(org, owner, judge, second_judge):
    """A challenge being judged: requirements weighing 60 and 40, three entries, two
    assigned judges."""
    return judged_challenge(org, owner, entrants=3, judges=[judge, second_judge])


def scores(jc, first: int, second: int) -> dict:
    r1, r2 = jc.requirements
    return {r1.pk: {"score": first, "note": "fine"}, r2.pk: {"score": second}}


def set_state(challenge, state):
    Challenge.objects.filter(pk=challenge.pk).update(state=state)


class TestAssigning:
    def test_owner_assigns_a_judge_once_and_it_is_logged(self, org, owner, draft):
        colleague = MembershipFactory(organization=org, role=OrgRole.JUDGE).user
        judge_assign(challenge_id=draft.pk, actor=owner, judge=colleague)
        judge_assign(challenge_id=draft.pk, actor=owner, judge=colleague)
        assert JudgeAssignment.objects.filter(challenge=draft, judge=colleague).count() == 1
        assert ChallengeEvent.objects.filter(challenge=draft, name="judge_assign").count() == 1

    def test_an_owner_may_judge(self, owner, draft):
        judge_assign(challenge_id=draft.pk, actor=owner, judge=owner)
        assert JudgeAssignment.objects.filter(challenge=draft, judge=owner).exists()

    @pytest.mark.parametrize("who", ["manager", "outsider", "solver"])
    def test_only_judges_and_owners_of_the_organisation_can_judge(self, request, owner, draft, who):
        with pytest.raises(ValidationError) as exc:
            judge_assign(challenge_id=draft.pk, actor=owner, judge=request.getfixturevalue(who))
        assert "judge" in exc.value.message_dict
        assert not JudgeAssignment.objects.exists()

    @pytest.mark.parametrize("who", ["manager", "judge", "outsider"])
    def test_only_owners_and_staff_assign(self, request, judge, draft, who):
        with pytest.raises(NotAllowed):
            judge_assign(challenge_id=draft.pk, actor=request.getfixturevalue(who), judge=judge)

    def test_staff_assign(self, staff, judge, draft):
        judge_assign(challenge_id=draft.pk, actor=staff, judge=judge)
        assert JudgeAssignment.objects.filter(challenge=draft, judge=judge).exists()

    @pytest.mark.parametrize("state", [S.AWARDING, S.COMPLETED, S.NO_AWARD, S.CANCELLED])
    def test_judges_are_fixed_once_judging_has_ended(self, owner, judge, draft, state):
        set_state(draft, state)
        with pytest.raises(IllegalTransition):
            judge_assign(challenge_id=draft.pk, actor=owner, judge=judge)
        with pytest.raises(IllegalTransition):
            judge_unassign(challenge_id=draft.pk, actor=owner, judge=judge)

    def test_an_unassigned_judge_loses_access_and_their_scores_stop_counting(
        self, jc, owner, judge
    ):
        entry = jc.submissions[0]
        evaluation_save(submission_id=entry.pk, judge=judge, scores=scores(jc, 9, 9))
        judge_unassign(challenge_id=jc.challenge.pk, actor=owner, judge=judge)
        assert Evaluation.objects.filter(judge=judge).count() == 2  # kept for the record
        row = next(r for r in scoreboard(jc.challenge) if r.submission.pk == entry.pk)
        assert row.total is None
        fresh = User.objects.get(pk=judge.pk)  # roles are cached per user object
        assert not can_read_submission(fresh, Submission.objects.get(pk=entry.pk))


class TestScoring:
    def test_saves_and_updates_scores_and_notes(self, jc, judge):
        entry = jc.submissions[0]
        r1, r2 = jc.requirements
        evaluation_save(submission_id=entry.pk, judge=judge, scores=scores(jc, 0, 10))
        evaluation_save(submission_id=entry.pk, judge=judge, scores={r1.pk: {"score": 4}})
        saved = {
            e.requirement_id: (e.score, e.note) for e in Evaluation.objects.filter(judge=judge)
        }
        assert saved == {r1.pk: (4, ""), r2.pk: (10, "")}

    @pytest.mark.parametrize("bad", [11, -1, "x", True, None, 7.5])
    def test_a_score_is_a_whole_number_from_0_to_10(self, jc, judge, bad):
        r1 = jc.requirements[0]
        with pytest.raises(ValidationError) as exc:
            evaluation_save(
                submission_id=jc.submissions[0].pk, judge=judge, scores={r1.pk: {"score": bad}}
            )
        assert f"score_{r1.pk}" in exc.value.message_dict
        assert not Evaluation.objects.exists()

    def test_one_bad_score_saves_nothing(self, jc, judge):
        with pytest.raises(ValidationError):
            evaluation_save(
                submission_id=jc.submissions[0].pk, judge=judge, scores=scores(jc, 5, 12)
            )
        assert not Evaluation.objects.exists()

    def test_unknown_requirement_and_empty_scores_are_refused(self, jc, judge, draft):
        foreign = draft.requirements.get()
        for bad in ({foreign.pk: {"score": 5}}, {"nope": {"score": 5}}, {}):
            with pytest.raises(ValidationError) as exc:
                evaluation_save(submission_id=jc.submissions[0].pk, judge=judge, scores=bad)
            assert "scores" in exc.value.message_dict

    def test_a_note_has_at_most_5000_characters(self, jc, judge):
        r1 = jc.requirements[0]
        with pytest.raises(ValidationError):
            evaluation_save(
                submission_id=jc.submissions[0].pk,
                judge=judge,
                scores={r1.pk: {"score": 5, "note": "x" * 5001}},
            )

    @pytest.mark.parametrize("state", [S.CLOSED, S.AWARDING, S.COMPLETED])
    def test_only_while_judging(self, jc, judge, state):
        set_state(jc.challenge, state)
        with pytest.raises(IllegalTransition) as exc:
            evaluation_save(
                submission_id=jc.submissions[0].pk, judge=judge, scores=scores(jc, 5, 5)
            )
        assert exc.value.code == "judging_closed"
        assert exc.value.state == state

    def test_an_unassigned_judge_of_the_organisation_can_neither_read_nor_score(self, jc, org):
        unassigned = MembershipFactory(organization=org, role=OrgRole.JUDGE).user
        entry = jc.submissions[0]
        assert not can_read_submission(unassigned, entry)
        assert not challenge_submissions_for(unassigned, jc.challenge).exists()
        with pytest.raises(NotAllowed):
            evaluation_save(submission_id=entry.pk, judge=unassigned, scores=scores(jc, 5, 5))
        assert not Evaluation.objects.exists()

    def test_a_judge_demoted_to_manager_can_no_longer_read_nor_score(self, jc, org, judge):
        org.memberships.filter(user=judge).update(role=OrgRole.MANAGER)
        demoted = User.objects.get(pk=judge.pk)
        assert not can_read_submission(demoted, jc.submissions[0])
        with pytest.raises(NotAllowed):
            evaluation_save(
                submission_id=jc.submissions[0].pk, judge=demoted, scores=scores(jc, 5, 5)
            )
        assert not Evaluation.objects.exists()


class TestConflicts:
    def test_a_conflicted_judge_neither_sees_nor_scores_the_entry(self, jc, judge):
        entry = jc.submissions[0]
        evaluation_save(submission_id=entry.pk, judge=judge, scores=scores(jc, 8, 8))
        conflict_declare(submission_id=entry.pk, judge=judge, reason="My former student")
        assert not Evaluation.objects.filter(judge=judge, submission=entry).exists()
        judge = User.objects.get(pk=judge.pk)
        assert not can_read_submission(judge, Submission.objects.get(pk=entry.pk))
        visible = set(challenge_submissions_for(judge, jc.challenge).values_list("pk", flat=True))
        assert visible == {s.pk for s in jc.submissions[1:]}
        with pytest.raises(NotAllowed):
            evaluation_save(submission_id=entry.pk, judge=judge, scores=scores(jc, 8, 8))

    def test_declaring_twice_keeps_the_first(self, jc, judge):
        entry = jc.submissions[0]
        conflict_declare(submission_id=entry.pk, judge=judge, reason="Former student")
        conflict_declare(submission_id=entry.pk, judge=judge, reason="Second thoughts")
        assert entry.conflicts.get().reason == "Former student"
        assert ChallengeEvent.objects.filter(name="conflict_declare").count() == 1

    def test_a_reason_is_required(self, jc, judge):
        with pytest.raises(ValidationError) as exc:
            conflict_declare(submission_id=jc.submissions[0].pk, judge=judge, reason="  ")
        assert "reason" in exc.value.message_dict

    def test_only_assigned_judges_declare(self, jc, org):
        unassigned = MembershipFactory(organization=org, role=OrgRole.JUDGE).user
        with pytest.raises(NotAllowed):
            conflict_declare(submission_id=jc.submissions[0].pk, judge=unassigned, reason="x")

    def test_the_owner_still_sees_the_entry(self, jc, owner, judge):
        entry = jc.submissions[0]
        conflict_declare(submission_id=entry.pk, judge=judge, reason="Former student")
        assert entry.pk in challenge_submissions_for(owner, jc.challenge).values_list(
            "pk", flat=True
        )


class TestShortlist:
    @pytest.mark.parametrize("state", [S.JUDGING, S.AWARDING])
    def test_owner_shortlists_and_unlists(self, jc, owner, state):
        set_state(jc.challenge, state)
        entry = jc.submissions[0]
        assert submission_shortlist(
            submission_id=entry.pk, actor=owner, shortlisted=True
        ).shortlisted
        assert not submission_shortlist(
            submission_id=entry.pk, actor=owner, shortlisted=False
        ).shortlisted

    def test_judges_do_not_shortlist(self, jc, judge):
        with pytest.raises(NotAllowed):
            submission_shortlist(submission_id=jc.submissions[0].pk, actor=judge, shortlisted=True)

    def test_not_before_judging(self, jc, owner):
        set_state(jc.challenge, S.CLOSED)
        with pytest.raises(IllegalTransition):
            submission_shortlist(submission_id=jc.submissions[0].pk, actor=owner, shortlisted=True)


class TestScoreboard:
    def test_weighted_totals_and_ranks_with_two_judges(self, jc, judge, second_judge):
        first, second, third = jc.submissions
        evaluation_save(submission_id=first.pk, judge=judge, scores=scores(jc, 8, 6))
        evaluation_save(submission_id=first.pk, judge=second_judge, scores=scores(jc, 6, 10))
        evaluation_save(submission_id=second.pk, judge=judge, scores=scores(jc, 9, 9))
        evaluation_save(submission_id=second.pk, judge=second_judge, scores=scores(jc, 9, 10))
        r1, r2 = jc.requirements
        rows = scoreboard(jc.challenge)
        assert [r.submission.pk for r in rows] == [second.pk, first.pk, third.pk]
        best, runner_up, unscored = rows
        assert best.averages == {r1.pk: Decimal("9.00"), r2.pk: Decimal("9.50")}
        assert best.total == Decimal("92.00")  # (9 * 60 + 9.5 * 40) / 10
        assert runner_up.averages == {r1.pk: Decimal("7.00"), r2.pk: Decimal("8.00")}
        assert runner_up.total == Decimal("74.00")  # (7 * 60 + 8 * 40) / 10
        assert (best.rank, runner_up.rank, unscored.rank) == (1, 2, None)
        assert (best.judges, best.complete) == (2, True)
        assert (unscored.total, unscored.judges, unscored.complete) == (None, 0, False)

    def test_ties_share_a_rank(self, jc, judge):
        first, second, third = jc.submissions
        evaluation_save(submission_id=first.pk, judge=judge, scores=scores(jc, 5, 5))
        evaluation_save(submission_id=second.pk, judge=judge, scores=scores(jc, 7, 7))
        evaluation_save(submission_id=third.pk, judge=judge, scores=scores(jc, 7, 7))
        ranks = {r.submission.pk: r.rank for r in scoreboard(jc.challenge)}
        assert ranks == {second.pk: 1, third.pk: 1, first.pk: 3}

    def test_judges_who_disagree_are_flagged(self, jc, judge, second_judge):
        entry = jc.submissions[0]
        r1 = jc.requirements[0]
        evaluation_save(submission_id=entry.pk, judge=judge, scores=scores(jc, 2, 5))
        evaluation_save(submission_id=entry.pk, judge=second_judge, scores=scores(jc, 8, 8))
        row = next(r for r in scoreboard(jc.challenge) if r.submission.pk == entry.pk)
        assert row.disagreements == [r1.pk]  # 6 apart; r2 only 3 apart
        assert row.scores[r1.pk] == {judge.pk: 2, second_judge.pk: 8}

    def test_a_partly_scored_entry_is_incomplete(self, jc, judge):
        entry = jc.submissions[0]
        evaluation_save(
            submission_id=entry.pk, judge=judge, scores={jc.requirements[0].pk: {"score": 10}}
        )
        row = next(r for r in scoreboard(jc.challenge) if r.submission.pk == entry.pk)
        assert (row.total, row.complete, row.rank) == (Decimal("60.00"), False, 1)

    def test_scores_of_people_not_assigned_do_not_count(self, jc, org):
        outsider_judge = MembershipFactory(organization=org, role=OrgRole.JUDGE).user
        EvaluationFactory(
            submission=jc.submissions[0], judge=outsider_judge, requirement=jc.requirements[0]
        )
        assert all(r.total is None for r in scoreboard(jc.challenge))

    def test_a_judges_own_scores_leave_out_the_other_judges(self, jc, judge, second_judge):
        first, second, _third = jc.submissions
        evaluation_save(submission_id=first.pk, judge=judge, scores=scores(jc, 5, 5))
        evaluation_save(
            submission_id=second.pk, judge=judge, scores={jc.requirements[0].pk: {"score": 5}}
        )
        evaluation_save(submission_id=second.pk, judge=second_judge, scores=scores(jc, 5, 5))
        mine = own_scores(jc.challenge, judge)
        assert {pk: len(by_requirement) for pk, by_requirement in mine.items()} == {
            first.pk: 2,
            second.pk: 1,
        }

    def test_empty_challenge(self, org, owner):
        jc = judged_challenge(org, owner, entrants=0)
        assert scoreboard(jc.challenge) == []
