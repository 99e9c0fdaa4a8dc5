"""Who may read or change a private submission. Its authors are the solver, or the
team's active members; the challenge's owners and active judges read the active entries
once submissions are revealed (a judge never those they declared a conflict with);
staff read everything. Conflicts are read through the submission's reverse relation."""

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import Challenge
from marketplace.challenges.permissions import is_active_judge, is_owner
from marketplace.challenges.selectors import accepts_submissions
from marketplace.challenges.states import SUBMISSIONS_REVEALED
from marketplace.submissions.models import Submission, SubmissionState
from marketplace.teams.states import TeamMemberState


def submission_authors(submission: Submission) -> set[int]:
    """The user ids that own a submission: its author, or the team's active members."""
    if submission.team_id is None:
        return {submission.author_id}
    return set(
        submission.team.members.filter(state=TeamMemberState.ACTIVE).values_list(
            "user_id", flat=True
        )
    )


def is_author(user, submission: Submission) -> bool:
    return getattr(user, "is_authenticated", False) and user.pk in submission_authors(submission)


def is_author_or_staff(user, submission: Submission) -> bool:
    return is_staff(user) or is_author(user, submission)


def is_conflicted(user, submission: Submission) -> bool:
    """The judge declared a conflict of interest with this entry."""
    return submission.conflicts.filter(judge=user).exists()


def can_read_all_submissions(user, challenge: Challenge) -> bool:
    """Staff, and the challenge's owners and active judges once submissions are revealed."""
    if is_staff(user):
        return True
    if challenge.state not in SUBMISSIONS_REVEALED:
        return False
    return is_owner(user, challenge) or is_active_judge(user, challenge)


def can_read_submission(user, submission: Submission) -> bool:
    """Authors and staff always; owners once revealed; an assigned judge once revealed
    unless conflicted with this entry."""
    if is_author_or_staff(user, submission):
        return True
    challenge = submission.challenge
    if not can_read_all_submissions(user, challenge):
        return False
    return is_owner(user, challenge) or not is_conflicted(user, submission)


def can_change(user, submission: Submission) -> bool:
    """Whether the user may still edit or withdraw: an author, while the submission is
    active and the challenge accepts submissions."""
    return (
        submission.state == SubmissionState.ACTIVE
        and accepts_submissions(submission.challenge)
        and is_author(user, submission)
    )
