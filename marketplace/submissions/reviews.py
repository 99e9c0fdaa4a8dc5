"""An entry's review status: what the challenge's owner side tells the solver about it,
and the append-only history of every change. Written here once; the shortlist
(`judging`) and the awards flow (`awards`) set it through these functions.

Who may set which status, and when (a withdrawn entry is never reviewed):

- received, admissible, not admissible (screening): the challenge's owners, its active
  judges (never on an entry they declared a conflict with) and staff, once submissions
  are closed and until the winners are chosen (closed, judging, awarding). Not
  admissible needs a reason, which the solver reads.
- shortlisted: the owners and staff, while judging and awarding.
- not selected: the owners and staff, while awarding and after the challenge ended
  (completed, no award): the choice it reports is made. When the challenge finishes,
  every entry still received, admissible or shortlisted becomes not selected
  (`submission_reviews_conclude`).
- winner: only the awards flow, when the winner accepts the award; nobody sets it by
  hand, and a winner's entry keeps its status unless the award is withdrawn (it then
  goes back to the status it had before).

Each status may carry a note to the solver (at most 5,000 characters). A change of
status, reason or note writes one history row and notifies the solver, or every active
member of the team, once (a winner hears it from the awards flow's own notices);
setting what is already there changes nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.accounts.permissions import is_staff
from marketplace.challenges.permissions import is_active_judge, is_owner
from marketplace.challenges.states import DECIDING, SCREENING, SELECTION_KNOWN
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send
from marketplace.submissions.models import (
    REVIEW_NOTE_MAX,
    ReviewStatus,
    Submission,
    SubmissionReview,
    SubmissionState,
)
from marketplace.submissions.permissions import is_conflicted, submission_authors

R = ReviewStatus
# What judges may set: the screening statuses.
SCREENED = (R.RECEIVED, R.ADMISSIBLE, R.NOT_ADMISSIBLE)
# The challenge states in which each status may be set by hand.
WHEN = {
    R.RECEIVED: SCREENING,
    R.ADMISSIBLE: SCREENING,
    R.NOT_ADMISSIBLE: SCREENING,
    R.SHORTLISTED: DECIDING,
    R.NOT_SELECTED: SELECTION_KNOWN,
}


def can_review(user, submission: Submission, status: str) -> bool:
    """Owners and staff set every status by hand; judges only screen, and not an entry
    they declared a conflict with."""
    challenge = submission.challenge
    if is_owner(user, challenge) or is_staff(user):
        return True
    return (
        status in SCREENED
        and is_active_judge(user, challenge)
        and not is_conflicted(user, submission)
    )


def settable_statuses(user, submission: Submission) -> list[str]:
    """The statuses the user may set on the entry now (none on a withdrawn or winning
    entry): what the review form offers."""
    if submission.state != SubmissionState.ACTIVE or submission.review_status == R.WINNER:
        return []
    state = submission.challenge.state
    return [
        status
        for status, states in WHEN.items()
        if state in states and can_review(user, submission, status)
    ]


def _check(submission: Submission, actor, status: str, reason: str, note: str) -> None:
    if status not in R.values or status == R.WINNER:
        raise ValidationError({"status": [_("This review status cannot be set.")]})
    if not can_review(actor, submission, status):
        raise NotAllowed(_("You may not set this review status."))
    challenge = submission.challenge
    if challenge.state not in WHEN[status]:
        raise IllegalTransition(
            _("“%(status)s” cannot be set while the challenge is %(state)s.")
            % {"status": R(status).label, "state": challenge.get_state_display()},
            state=challenge.state,
        )
    if submission.state != SubmissionState.ACTIVE:
        raise ValidationError({"submission": [_("This entry was withdrawn.")]})
    if submission.review_status == R.WINNER:
        raise IllegalTransition(
            _("This entry won an award: its status is kept."), state=challenge.state
        )
    errors = {}
    if status == R.NOT_ADMISSIBLE and not reason.strip():
        errors["reason"] = [_("Say why the entry is not admissible.")]
    for field, value in (("reason", reason), ("note", note)):
        if len(value) > REVIEW_NOTE_MAX:
            errors[field] = [
                _("At most %(max)d characters (%(length)d given).")
                % {"max": REVIEW_NOTE_MAX, "length": len(value)}
            ]
    if errors:
        raise ValidationError(errors)


def submission_review_record(
    *,
    submission: Submission,
    actor,
    status: str,
    reason: str = "",
    note: str = "",
    notify: bool = True,
) -> SubmissionReview | None:
    """Inside the caller's transaction, with the entry locked: set the status, write the
    history row and (unless `notify` is false) notify the authors. Nothing happens when
    nothing changes."""
    reason = reason.strip()
    note = note.strip()
    if (submission.review_status, submission.review_reason, submission.review_note) == (
        status,
        reason,
        note,
    ):
        return None
    review = SubmissionReview.objects.create(
        submission=submission,
        actor=actor,
        from_status=submission.review_status,
        to_status=status,
        reason=reason,
        note=note,
    )
    submission.review_status = status
    submission.review_reason = reason
    submission.review_note = note
    submission.save(update_fields=["review_status", "review_reason", "review_note", "updated_at"])
    if notify and status != R.WINNER:  # the awards flow tells its winners itself
        notifications_send(
            kind=NotificationKind.ENTRY_REVIEWED,
            users=_authors(submission),
            key=f"review:{review.pk}",
            challenge=submission.challenge,
            params={"submission": submission.pk, "status": status},
        )
    return review


def _authors(submission: Submission):
    """Who hears of a review: the solver, or every active member of the team."""
    return User.objects.filter(pk__in=submission_authors(submission))


def submission_review_unwin(*, submission: Submission, actor) -> SubmissionReview | None:
    """Inside the caller's transaction, with the entry locked: its award was withdrawn,
    so a winning entry goes back to the status it had before it won."""
    if submission.review_status != R.WINNER:
        return None
    won = submission.reviews.filter(to_status=R.WINNER).order_by("-created_at", "-pk").first()
    before = won.from_status if won else R.RECEIVED
    return submission_review_record(
        submission=submission,
        actor=actor,
        status=before,
        reason=submission.review_reason,
        note=submission.review_note,
    )


def submission_review_set(
    *, submission_id: int, actor, status: str, reason: str = "", note: str = ""
) -> Submission:
    """Set an entry's review status by hand (the rules are in this module's docstring);
    refused with no change otherwise."""
    with transaction.atomic(durable=True):
        submission = (
            Submission.objects.select_for_update().select_related("challenge").get(pk=submission_id)
        )
        _check(submission, actor, status, reason, note)
        submission_review_record(
            submission=submission, actor=actor, status=status, reason=reason, note=note
        )
    return submission


# Still in the running: what a finished challenge's entries that did not win turn from.
RUNNING = (R.RECEIVED, R.ADMISSIBLE, R.SHORTLISTED)


def submission_reviews_conclude(challenge) -> int:
    """Inside the transition that finished the challenge (completed, no award): every
    active entry still in the running becomes "not selected", recorded by no one (the
    platform) with the owner's note kept; its solvers hear the outcome from the results
    notice, not once more. Returns how many entries changed."""
    entries = (
        Submission.objects.select_for_update()
        .filter(challenge=challenge, state=SubmissionState.ACTIVE, review_status__in=RUNNING)
        .select_related("challenge")
        .order_by("pk")
    )
    changed = 0
    for submission in entries:
        submission_review_record(
            submission=submission,
            actor=None,
            status=R.NOT_SELECTED,
            note=submission.review_note,
            notify=False,
        )
        changed += 1
    return changed
