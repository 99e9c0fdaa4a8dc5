"""Reads of private submissions, with who-may-see-what applied. Authors (the solver, or
the team's active members) and staff see a submission in any state; the challenge's
owners and judges see the active ones once submissions are revealed (see
`submissions.permissions`). For everyone else a submission, or a file of it,
does not exist: 404, exactly as for an id that was never used."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import Challenge
from marketplace.challenges.permissions import is_owner
from marketplace.submissions.models import (
    Submission,
    SubmissionFile,
    SubmissionReview,
    SubmissionState,
    SubmissionVersion,
)
from marketplace.submissions.permissions import (
    can_read_all_submissions,
    can_read_submission,
    is_author_or_staff,
)
from marketplace.teams.states import TeamMemberState

CURRENT_FILES = Prefetch(
    "files",
    queryset=SubmissionFile.objects.filter(removed_at__isnull=True).order_by("pk"),
    to_attr="current_files",
)

# When the latest receipt was issued: the time of the newest version.
RECEIVED_AT = Subquery(
    SubmissionVersion.objects.filter(submission=OuterRef("pk"))
    .order_by("-number")
    .values("created_at")[:1]
)


def entry_number_of(submission_id: str) -> Coalesce:
    """The "Entry #n" of the submission whose id the outer query names `submission_id`
    (and its challenge `challenge`): its place among the challenge's active submissions,
    oldest first. Once submissions are revealed nothing can be added or withdrawn, so
    the number is stable."""
    return Coalesce(
        Subquery(
            Submission.objects.filter(
                challenge=OuterRef("challenge"),
                state=SubmissionState.ACTIVE,
                pk__lte=OuterRef(submission_id),
            )
            .order_by()
            .values("challenge")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


ENTRY_NUMBER = entry_number_of("pk")


def _authored_by(user) -> Q:
    """The submissions the user owns: alone, or as an active member of the team."""
    return Q(team__isnull=True, author=user) | Q(
        team__members__user=user, team__members__state=TeamMemberState.ACTIVE
    )


def _with_details(qs: QuerySet[Submission]) -> QuerySet[Submission]:
    return qs.select_related("challenge__organization", "author", "team").prefetch_related(
        CURRENT_FILES
    )


def submissions_of(user) -> QuerySet[Submission]:
    """Every submission the user owns, alone or with a team, newest first, annotated with
    `received_at` (the time of the latest receipt)."""
    if not getattr(user, "is_authenticated", False):
        return Submission.objects.none()
    return (
        Submission.objects.filter(_authored_by(user))
        .select_related("challenge", "team")
        .annotate(received_at=RECEIVED_AT)
        .order_by("-created_at", "-pk")
    )


def submission_for_author(user, pk: int) -> Submission:
    """The submission if the user is one of its authors or staff; 404 otherwise."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    qs = Submission.objects.filter(pk=pk)
    if not is_staff(user):
        qs = qs.filter(_authored_by(user))
    submission = _with_details(qs).first()
    if submission is None:
        raise Http404
    return submission


def submission_for_reader(user, pk: int) -> Submission:
    """The submission for anyone who may read it: authors and staff in any state, the
    challenge's owners and judges (once revealed) while it is active; 404 otherwise."""
    submission = _with_details(Submission.objects.filter(pk=pk)).first()
    if submission is None or not can_read_submission(user, submission):
        raise Http404
    if submission.state != SubmissionState.ACTIVE and not is_author_or_staff(user, submission):
        raise Http404
    return submission


def submission_file_for_reader(user, submission_pk: int, file_pk: int) -> SubmissionFile:
    """A file of a submission the user may read. Authors and staff may fetch every file
    an earlier receipt lists; the Seeker's readers only those of the current version. A
    file of another submission is a 404, as is one that does not exist."""
    submission = submission_for_reader(user, submission_pk)
    files = submission.files.filter(pk=file_pk)
    if not is_author_or_staff(user, submission):
        files = files.filter(removed_at__isnull=True)
    found = files.first()
    if found is None:
        raise Http404
    return found


def challenge_submissions_for(user, challenge: Challenge) -> QuerySet[Submission]:
    """What the user may list of a challenge's submissions: for its readers and staff the
    active ones in entry order, annotated with `entry_number`; for a solver their own
    (any state), newest first; for anyone else nothing."""
    qs = _with_details(challenge.submissions.all()).annotate(received_at=RECEIVED_AT)
    if can_read_all_submissions(user, challenge):
        if not (is_staff(user) or is_owner(user, challenge)):
            qs = qs.exclude(conflicts__judge=user)
        return (
            qs.filter(state=SubmissionState.ACTIVE)
            .annotate(entry_number=ENTRY_NUMBER)
            .order_by("pk")
        )
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(_authored_by(user)).order_by("-created_at", "-pk")


def challenge_submission_for_reader(user, challenge: Challenge, pk: int) -> Submission:
    """One active submission of the challenge, with its `entry_number`, for its readers
    and staff; 404 otherwise."""
    if not can_read_all_submissions(user, challenge):
        raise Http404
    submission = (
        _with_details(challenge.submissions.filter(pk=pk, state=SubmissionState.ACTIVE))
        .annotate(received_at=RECEIVED_AT, entry_number=ENTRY_NUMBER)
        .first()
    )
    if submission is None or not can_read_submission(user, submission):
        raise Http404
    return submission


def entry_number(submission: Submission) -> int | None:
    """The submission's "Entry #n" among the active ones; None once withdrawn."""
    if submission.state != SubmissionState.ACTIVE:
        return None
    return submission.challenge.submissions.filter(
        state=SubmissionState.ACTIVE, pk__lte=submission.pk
    ).count()


def receipts_of(submission: Submission) -> QuerySet[SubmissionVersion]:
    """Every version's receipt, oldest first."""
    return submission.versions.select_related("created_by").order_by("number")


def reviews_of(submission: Submission) -> QuerySet[SubmissionReview]:
    """The history of the entry's review status, oldest first."""
    return submission.reviews.select_related("actor").order_by("created_at", "pk")


def captained_teams(user, challenge: Challenge):
    """The challenge's teams that the user captains: those they may submit for."""
    if not getattr(user, "is_authenticated", False):
        return challenge.teams.none()
    return challenge.teams.filter(captain=user).order_by("name")
