"""An entry's review status: who may set which status when, the history of every change,
the solver (every active team member) notified once per change, the shortlist as one
status, and the winner's entry marked when the award is accepted."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from marketplace.awards.services.claim import award_accept, award_decline
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.judging.services import conflict_declare, submission_shortlist
from marketplace.notifications.kinds import notification_message
from marketplace.notifications.models import Notification, NotificationKind
from marketplace.submissions.models import ReviewStatus as R
from marketplace.submissions.models import Submission, SubmissionReview
from marketplace.submissions.reviews import settable_statuses, submission_review_set
from marketplace.submissions.services import submission_withdraw
from tests.db_guards import refused
from tests.factories import (
    RegistrationFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    claim_awarded_challenge,
    judged_challenge,
    submission_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def jc(org, owner, judge):
    return judged_challenge(org, owner, entrants=2, judges=[judge])


def set_state(challenge, state):
    Challenge.objects.filter(pk=challenge.pk).update(state=state)


def reviewed(entry) -> Submission:
    return Submission.objects.get(pk=entry.pk)


def notices(kind=NotificationKind.ENTRY_REVIEWED):
    return Notification.objects.filter(kind=kind)


def review(entry, actor, status, **text):
    return submission_review_set(submission_id=entry.pk, actor=actor, status=status, **text)


class TestWhoAndWhen:
    def test_entries_start_received(self, jc):
        assert {s.review_status for s in jc.submissions} == {R.RECEIVED}

    @pytest.mark.parametrize("state", [S.CLOSED, S.JUDGING, S.AWARDING])
    @pytest.mark.parametrize("who", ["owner", "judge", "staff"])
    def test_screening_after_the_close(self, request, jc, state, who):
        set_state(jc.challenge, state)
        entry = jc.submissions[0]
        review(entry, request.getfixturevalue(who), R.ADMISSIBLE, note="Complete, thank you.")
        entry = reviewed(entry)
        assert (entry.review_status, entry.review_note) == (R.ADMISSIBLE, "Complete, thank you.")

    @pytest.mark.parametrize("state", [S.OPEN, S.COMPLETED, S.NO_AWARD, S.CANCELLED])
    def test_no_screening_before_the_close_nor_after_the_end(self, jc, owner, state):
        set_state(jc.challenge, state)
        with pytest.raises(IllegalTransition):
            review(jc.submissions[0], owner, R.ADMISSIBLE)
        assert not SubmissionReview.objects.exists()

    @pytest.mark.parametrize("status", [R.SHORTLISTED, R.NOT_SELECTED])
    def test_judges_only_screen(self, jc, judge, status):
        set_state(jc.challenge, S.AWARDING)
        with pytest.raises(NotAllowed):
            review(jc.submissions[0], judge, status)
        assert reviewed(jc.submissions[0]).review_status == R.RECEIVED

    @pytest.mark.parametrize("who", ["manager", "solver"])
    def test_others_may_not(self, request, jc, who):
        with pytest.raises(NotAllowed):
            review(jc.submissions[0], request.getfixturevalue(who), R.ADMISSIBLE)

    def test_the_solver_may_not_review_their_own_entry(self, jc):
        entry = jc.submissions[0]
        with pytest.raises(NotAllowed):
            review(entry, entry.author, R.SHORTLISTED)

    def test_a_conflicted_judge_may_not(self, jc, judge):
        entry = jc.submissions[0]
        conflict_declare(submission_id=entry.pk, judge=judge, reason="My cousin.")
        with pytest.raises(NotAllowed):
            review(entry, judge, R.ADMISSIBLE)

    def test_shortlist_while_judging_not_selected_from_awarding(self, jc, owner):
        entry = jc.submissions[0]
        with pytest.raises(IllegalTransition):
            review(entry, owner, R.NOT_SELECTED)
        review(entry, owner, R.SHORTLISTED)
        set_state(jc.challenge, S.COMPLETED)
        with pytest.raises(IllegalTransition):
            review(entry, owner, R.SHORTLISTED)
        review(entry, owner, R.NOT_SELECTED, note="Close, but the cost was too high.")
        assert reviewed(entry).review_status == R.NOT_SELECTED

    @pytest.mark.parametrize("status", [R.WINNER, "accepted", ""])
    def test_winner_and_unknown_statuses_are_refused(self, jc, owner, status):
        with pytest.raises(ValidationError) as exc:
            review(jc.submissions[0], owner, status)
        assert "status" in exc.value.message_dict

    def test_not_admissible_needs_a_reason(self, jc, owner):
        entry = jc.submissions[0]
        with pytest.raises(ValidationError) as exc:
            review(entry, owner, R.NOT_ADMISSIBLE, reason="   ")
        assert "reason" in exc.value.message_dict
        review(entry, owner, R.NOT_ADMISSIBLE, reason="No prototype data attached.")
        entry = reviewed(entry)
        assert (entry.review_status, entry.review_reason) == (
            R.NOT_ADMISSIBLE,
            "No prototype data attached.",
        )

    def test_a_note_over_5000_characters_is_refused(self, jc, owner):
        entry = jc.submissions[0]
        with pytest.raises(ValidationError) as exc:
            review(entry, owner, R.ADMISSIBLE, note="x" * 5001)
        assert "note" in exc.value.message_dict
        assert reviewed(entry).review_status == R.RECEIVED
        review(entry, owner, R.ADMISSIBLE, note="x" * 5000)
        assert len(reviewed(entry).review_note) == 5000

    def test_refusals_are_translated(self, jc, owner):
        with translation.override("es"), pytest.raises(ValidationError) as exc:
            review(jc.submissions[0], owner, R.NOT_ADMISSIBLE)
        assert exc.value.message_dict["reason"] == ["Diga por qué la solución no es admisible."]

    def test_a_withdrawn_entry_is_not_reviewed(self, org, owner):
        challenge = judged_challenge(org, owner, entrants=1, state=S.OPEN)
        entry = challenge.submissions[0]
        submission_withdraw(submission_id=entry.pk, actor=entry.author)
        set_state(challenge.challenge, S.JUDGING)
        with pytest.raises(ValidationError):
            review(entry, owner, R.ADMISSIBLE)

    def test_what_each_may_set_now(self, jc, owner, judge):
        entry = reviewed(jc.submissions[0])
        assert settable_statuses(owner, entry) == [
            R.RECEIVED,
            R.ADMISSIBLE,
            R.NOT_ADMISSIBLE,
            R.SHORTLISTED,
        ]
        assert settable_statuses(judge, entry) == [R.RECEIVED, R.ADMISSIBLE, R.NOT_ADMISSIBLE]
        assert settable_statuses(entry.author, entry) == []


class TestHistoryAndNotices:
    def test_each_change_is_recorded_and_notified_once(self, jc, owner, judge):
        entry = jc.submissions[0]
        review(entry, judge, R.ADMISSIBLE)
        review(entry, judge, R.ADMISSIBLE)  # nothing changes: no row, no notice
        review(entry, owner, R.SHORTLISTED, note="One of our three finalists.")
        history = list(
            SubmissionReview.objects.filter(submission=entry).values_list(
                "actor", "from_status", "to_status", "note"
            )
        )
        assert history == [
            (judge.pk, R.RECEIVED, R.ADMISSIBLE, ""),
            (owner.pk, R.ADMISSIBLE, R.SHORTLISTED, "One of our three finalists."),
        ]
        assert list(notices().values_list("user", "params")) == [
            (entry.author_id, {"submission": entry.pk, "status": R.SHORTLISTED}),
            (entry.author_id, {"submission": entry.pk, "status": R.ADMISSIBLE}),
        ]

    def test_a_new_note_alone_is_a_change(self, jc, owner):
        entry = jc.submissions[0]
        review(entry, owner, R.ADMISSIBLE)
        review(entry, owner, R.ADMISSIBLE, note="Please keep your data available.")
        assert SubmissionReview.objects.filter(submission=entry).count() == 2
        assert notices().count() == 2

    def test_a_refusal_writes_nothing(self, jc, judge):
        with pytest.raises(NotAllowed):
            review(jc.submissions[0], judge, R.SHORTLISTED)
        assert not SubmissionReview.objects.exists()
        assert not notices().exists()

    def test_every_active_team_member_is_notified(self, org, owner):
        jc = judged_challenge(org, owner, entrants=0, state=S.OPEN)
        captain, member, invited = UserFactory(), UserFactory(), UserFactory()
        for person in (captain, member, invited):
            RegistrationFactory(challenge=jc.challenge, user=person)
        team = TeamFactory(challenge=jc.challenge, captain=captain)
        TeamMemberFactory(team=team, user=member, state="active")
        TeamMemberFactory(team=team, user=invited)
        entry = submission_for(jc.challenge, captain, team=team)
        set_state(jc.challenge, S.JUDGING)
        review(entry, owner, R.ADMISSIBLE)
        assert set(notices().values_list("user", flat=True)) == {captain.pk, member.pk}

    def test_the_notice_is_worded_in_the_readers_language(self, jc, owner):
        entry = jc.submissions[0]
        review(entry, owner, R.SHORTLISTED)
        notification = notices().get()
        with translation.override("es"):
            message = notification_message(notification)
        assert "Preseleccionada" in message.text
        assert message.url == f"/solver/submissions/{entry.pk}/"


class TestShortlistAndAwards:
    def test_the_shortlist_is_the_status(self, jc, owner):
        entry = jc.submissions[0]
        assert submission_shortlist(submission_id=entry.pk, actor=owner, shortlisted=True)
        assert reviewed(entry).review_status == R.SHORTLISTED
        assert reviewed(entry).shortlisted
        submission_shortlist(submission_id=entry.pk, actor=owner, shortlisted=False)
        assert reviewed(entry).review_status == R.ADMISSIBLE
        assert SubmissionReview.objects.filter(submission=entry).count() == 2

    def test_shortlisting_keeps_the_note(self, jc, owner):
        entry = jc.submissions[0]
        review(entry, owner, R.ADMISSIBLE, note="Strong data.")
        submission_shortlist(submission_id=entry.pk, actor=owner, shortlisted=True)
        assert reviewed(entry).review_note == "Strong data."

    def test_the_accepted_award_makes_the_entry_the_winner(self, org, owner):
        member = UserFactory()
        claimed = claim_awarded_challenge(org, owner, team_members=[member])
        award_accept(award_id=claimed.award.pk, user=claimed.winner)
        entry = reviewed(claimed.submission)
        assert entry.review_status == R.WINNER
        change = SubmissionReview.objects.get(submission=entry)
        assert (change.actor, change.to_status) == (owner, R.WINNER)
        # The winners hear it from the award's own notices, not twice.
        assert not notices().exists()
        assert set(notices(NotificationKind.AWARD_WON).values_list("user", flat=True)) == {
            claimed.winner.pk,
            member.pk,
        }
        with pytest.raises(IllegalTransition):
            review(entry, owner, R.NOT_SELECTED)
        assert settable_statuses(owner, entry) == []

    def test_a_declined_award_gives_the_entry_its_status_back(self, org, owner):
        claimed = claim_awarded_challenge(org, owner)
        review(claimed.submission, owner, R.SHORTLISTED, note="A finalist.")
        award_accept(award_id=claimed.award.pk, user=claimed.winner)
        award_decline(award_id=claimed.award.pk, user=claimed.winner)
        entry = reviewed(claimed.submission)
        assert (entry.review_status, entry.review_note) == (R.SHORTLISTED, "A finalist.")
        assert list(
            SubmissionReview.objects.filter(submission=entry).values_list("to_status", flat=True)
        ) == [R.SHORTLISTED, R.WINNER, R.SHORTLISTED]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE marketplace_submissionreview SET to_status = 'winner' WHERE id = %s",
        "UPDATE marketplace_submissionreview SET note = 'forged' WHERE id = %s",
        "DELETE FROM marketplace_submissionreview WHERE id = %s",
    ],
)
def test_the_history_never_changes_or_goes(jc, owner, sql):
    entry = jc.submissions[0]
    review(entry, owner, R.ADMISSIBLE, note="Fine.")
    change = SubmissionReview.objects.get()
    before = list(SubmissionReview.objects.values())
    refused(sql, [change.pk], match="append-only")
    assert list(SubmissionReview.objects.values()) == before
