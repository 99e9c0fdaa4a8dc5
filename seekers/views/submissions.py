"""The Seeker's view of a challenge's submissions: for its owners and judges once the
submission deadline has passed (the challenge is closed or later), and for staff.
Other members see a page that says when submissions are revealed (or, for managers,
who reads them); for everyone else the pages do not exist (404). Under blind judging
the solvers are "Entry #n" for the organisation's members until the winners are chosen
(`marketplace.submissions.identity`)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from marketplace.challenges.states import SUBMISSIONS_REVEALED
from marketplace.submissions.identity import shows_solvers
from marketplace.submissions.permissions import can_read_all_submissions
from marketplace.submissions.selectors import (
    challenge_submission_for_reader,
    challenge_submissions_for,
)
from seekers.views.access import challenge_for_seeker


@login_required
def submissions(request, pk):
    challenge = challenge_for_seeker(request.user, pk)
    if not can_read_all_submissions(request.user, challenge):
        revealed = challenge.state in SUBMISSIONS_REVEALED
        return render(
            request,
            "seekers/submissions/not_yet.html",
            {"challenge": challenge, "revealed": revealed},
        )
    return render(
        request,
        "seekers/submissions/list.html",
        {
            "challenge": challenge,
            "submissions": challenge_submissions_for(request.user, challenge),
            "blind": not shows_solvers(request.user, challenge),
        },
    )


@login_required
def submission_detail(request, pk, submission_pk):
    challenge = challenge_for_seeker(request.user, pk)
    submission = challenge_submission_for_reader(request.user, challenge, submission_pk)
    return render(
        request,
        "seekers/submissions/detail.html",
        {
            "challenge": challenge,
            "submission": submission,
            "blind": not shows_solvers(request.user, challenge),
        },
    )
