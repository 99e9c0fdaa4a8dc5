"""Who may read an idea, and whether it may be supported now. An idea is public while
its challenge (open ideation, published) shows it and staff have not hidden it; its
authors and staff still read a hidden idea, with the reason."""

from django.utils import timezone

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.states import PUBLISHED
from marketplace.submissions.models import Submission, SubmissionState
from marketplace.submissions.permissions import is_author


def shows_ideas(challenge: Challenge) -> bool:
    """The challenge publishes its entries as ideas."""
    return challenge.open_ideation and challenge.state in PUBLISHED


def supports_open(challenge: Challenge) -> bool:
    """Ideas may be supported (and posted, edited): open, before the deadline."""
    return (
        challenge.open_ideation
        and challenge.state == ChallengeState.OPEN
        and timezone.now() < challenge.submission_deadline
    )


def is_hidden(submission: Submission) -> bool:
    idea = getattr(submission, "idea", None)
    return idea is not None and idea.hidden_at is not None


def can_read_idea(user, submission: Submission) -> bool:
    if not shows_ideas(submission.challenge) or submission.state != SubmissionState.ACTIVE:
        return False
    if not is_hidden(submission):
        return True
    return is_staff(user) or is_author(user, submission)
