"""Blind judging, the one rule of who sees who submitted an entry: the solver's name and
e-mail, the team's name, and anything that leads to them (their user ids, a winner's
deed or certificate). Every page and API answer that shows entries, scores or awards
asks here.

Without blind judging, whoever may read an entry sees who submitted it. With it, the
Seeker's side (owners, managers, judges, owners who judge) sees "Entry #n" instead,
until the winners are chosen: entries are read, scored, shortlisted and awarded on their
merits, and the owner then needs the names to deal with the winners. Staff always see
who submitted; solvers always see their own entries and their team's.

The winners are chosen once the owner has finished choosing (`awards_final_at`, set by
`awards_finalize`), which a completed challenge always has. Forfeiting an award clears
`awards_final_at` (the owner may give it to another entry), so the solvers are hidden
again until the owner has finished choosing again."""

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.submissions.models import Submission
from marketplace.submissions.permissions import can_read_all_submissions, is_author_or_staff


def winners_chosen(challenge: Challenge) -> bool:
    return challenge.awards_final_at is not None or challenge.state == ChallengeState.COMPLETED


def shows_solvers(user, challenge: Challenge) -> bool:
    """Whether the user sees who submitted each of the challenge's entries."""
    return not challenge.blind_judging or is_staff(user) or winners_chosen(challenge)


def shows_solver(user, submission: Submission) -> bool:
    """Whether the user sees who submitted this entry: as for every entry, and always
    when it is their own (alone or with their team)."""
    return shows_solvers(user, submission.challenge) or is_author_or_staff(user, submission)


def shows_listed_solvers(user, challenge: Challenge) -> bool:
    """For the list `challenge_submissions_for` gives the user: their own entries unless
    they read every entry, and then as for every entry."""
    return shows_solvers(user, challenge) or not can_read_all_submissions(user, challenge)
