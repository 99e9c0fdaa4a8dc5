"""Judging pages: who judges a challenge, the judging workspace (every entry a judge may
see, with their own progress and total), and scoring one entry. The workspace is for
the challenge's owners and assigned judges; anyone else gets 404. A judge never sees
an entry they declared a conflict with. Under blind judging the owners and judges see
"Entry #n" instead of the solver until the winners are chosen
(`marketplace.submissions.identity`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.accounts.models import User
from marketplace.challenges.models import ChallengeState
from marketplace.challenges.permissions import is_active_judge, is_member, is_owner
from marketplace.challenges.selectors import challenge_for_user
from marketplace.challenges.states import AFTER_JUDGING, BEFORE_AWARDING
from marketplace.core.feedback import ServiceRefusal
from marketplace.judging.models import Evaluation
from marketplace.judging.permissions import can_choose_winners, can_use_workspace
from marketplace.judging.selectors import (
    judges_notes,
    own_scores,
    own_total,
    pending_judge_invitations,
)
from marketplace.judging.services import (
    conflict_declare,
    evaluation_save,
    judge_assign,
    judge_unassign,
)
from marketplace.submissions.identity import shows_solvers
from marketplace.submissions.models import ReviewStatus
from marketplace.submissions.permissions import can_read_all_submissions
from marketplace.submissions.reviews import settable_statuses, submission_review_set
from marketplace.submissions.selectors import (
    challenge_submission_for_reader,
    challenge_submissions_for,
    reviews_of,
)
from seekers.forms_judging import (
    ConflictForm,
    EvaluationForm,
    JudgeAssignForm,
    JudgeInviteForm,
    ReviewForm,
)
from seekers.views.access import challenge_for_seeker


def judging_challenge(user, pk: int):
    """The challenge for its owners and active judges (members, or invited from outside
    the organisation); 404 for everyone else."""
    challenge = challenge_for_user(user, pk)
    if not can_use_workspace(user, challenge):
        raise Http404
    return challenge


# --- judges of a challenge -------------------------------------------------------------


def judges_page(request, challenge, form=None, invite_form=None, status=200):
    """Who judges the challenge; for its owners and staff, until judging ends, the forms
    to assign a member, to invite someone from outside, and the pending invitations."""
    user = request.user
    owner_or_staff = can_choose_winners(user, challenge)
    can_change = owner_or_staff and challenge.state in BEFORE_AWARDING
    if can_change and form is None:
        form = JudgeAssignForm(challenge=challenge)
    if can_change and invite_form is None:
        invite_form = JudgeInviteForm()
    return render(
        request,
        "seekers/judging/judges.html",
        {
            "challenge": challenge,
            "assignments": challenge.judge_assignments.select_related("judge"),
            "form": form if can_change else None,
            "invite_form": invite_form if can_change else None,
            "invitations": pending_judge_invitations(challenge) if owner_or_staff else [],
            "links": {
                "workspace": can_use_workspace(user, challenge),
                "scores": owner_or_staff,
                "awards": owner_or_staff and challenge.state in AFTER_JUDGING,
            },
        },
        status=status,
    )


@login_required
def judges(request, pk):
    challenge = challenge_for_seeker(request.user, pk)
    if request.method != "POST":
        return judges_page(request, challenge)
    form = JudgeAssignForm(request.POST, challenge=challenge)
    if form.is_valid():
        judge = form.cleaned_data["judge"]
        with ServiceRefusal(request, form) as refusal:
            judge_assign(challenge_id=challenge.pk, actor=request.user, judge=judge)
            messages.success(request, _("%(name)s now judges this challenge.") % {"name": judge})
        if not refusal.on_form:
            return redirect("seekers:judges", pk=challenge.pk)
    return judges_page(request, challenge, form=form, status=400)


@login_required
@require_POST
def judge_remove(request, pk, user_pk):
    challenge = challenge_for_seeker(request.user, pk)
    judge = get_object_or_404(User, pk=user_pk, judge_assignments__challenge=challenge)
    with ServiceRefusal(request):
        judge_unassign(challenge_id=challenge.pk, actor=request.user, judge=judge)
        messages.success(request, _("%(name)s no longer judges this challenge.") % {"name": judge})
    return redirect("seekers:judges", pk=challenge.pk)


# --- the workspace and one entry ---------------------------------------------------------


@login_required
def workspace(request, pk):
    user = request.user
    challenge = judging_challenge(user, pk)
    requirements = list(challenge.requirements.all())
    revealed = can_read_all_submissions(user, challenge)
    mine = own_scores(challenge, user)
    rows = [
        (s, len(mine.get(s.pk, {})), own_total(mine.get(s.pk, {}), requirements))
        for s in (challenge_submissions_for(user, challenge) if revealed else [])
    ]
    return render(
        request,
        "seekers/judging/workspace.html",
        {
            "challenge": challenge,
            "rows": rows,
            "requirement_count": len(requirements),
            "revealed": revealed,
            "blind": not shows_solvers(user, challenge),
            "is_judge": is_active_judge(user, challenge),
            "is_owner": is_owner(user, challenge),
            "outside_judge": not is_member(user, challenge),
        },
    )


def _next_unscored(user, challenge, after_pk: int, needed: int) -> int | None:
    """The next entry (after `after_pk`, wrapping round) the judge has not fully scored."""
    scored = {pk: len(s) for pk, s in own_scores(challenge, user).items()}
    ids = [s.pk for s in challenge_submissions_for(user, challenge)]
    todo = [pk for pk in ids if pk != after_pk and scored.get(pk, 0) < needed]
    later = [pk for pk in todo if pk > after_pk]
    return (later or todo or [None])[0]


def _review_form(user, submission, data=None) -> ReviewForm | None:
    statuses = settable_statuses(user, submission)
    if not statuses:
        return None
    return ReviewForm(data, statuses=statuses, submission=submission)


def _entry_page(
    request,
    challenge,
    submission,
    *,
    form=None,
    conflict_form=None,
    review_form=None,
    status=200,
):
    user = request.user
    judge = is_active_judge(user, challenge)
    requirements = list(challenge.requirements.all())
    own = {
        e.requirement_id: e for e in Evaluation.objects.filter(submission=submission, judge=user)
    }
    judging = challenge.state == ChallengeState.JUDGING
    if judge and judging and form is None:
        form = EvaluationForm(requirements=requirements, evaluations=own)
    owner = is_owner(user, challenge)
    return render(
        request,
        "seekers/judging/entry.html",
        {
            "challenge": challenge,
            "submission": submission,
            "blind": not shows_solvers(user, challenge),
            "own": [(r, own.get(r.pk)) for r in requirements],
            "form": form if judge and judging else None,
            "conflict_form": (conflict_form or ConflictForm()) if judge else None,
            "is_judge": judge,
            "outside_judge": not is_member(user, challenge),
            "notes": judges_notes(challenge, submission) if owner else None,
            "review_form": review_form or _review_form(user, submission),
            "reviews": reviews_of(submission),
        },
        status=status,
    )


@login_required
def entry(request, pk, submission_pk):
    user = request.user
    challenge = judging_challenge(user, pk)
    submission = challenge_submission_for_reader(user, challenge, submission_pk)
    if request.method != "POST":
        return _entry_page(request, challenge, submission)
    requirements = list(challenge.requirements.all())
    form = EvaluationForm(request.POST, requirements=requirements)
    if form.is_valid():
        with ServiceRefusal(request, form) as refusal:
            evaluation_save(submission_id=submission.pk, judge=user, scores=form.scores())
            messages.success(request, _("Scores saved."))
            following = _next_unscored(user, challenge, submission.pk, len(requirements))
            if following is None:
                messages.info(request, _("You have scored every entry."))
                return redirect("seekers:judging", pk=challenge.pk)
            return redirect("seekers:judging_entry", pk=challenge.pk, submission_pk=following)
        if not refusal.on_form:
            return redirect("seekers:judging_entry", pk=challenge.pk, submission_pk=submission.pk)
    return _entry_page(request, challenge, submission, form=form, status=400)


@login_required
@require_POST
def conflict(request, pk, submission_pk):
    user = request.user
    challenge = judging_challenge(user, pk)
    submission = challenge_submission_for_reader(user, challenge, submission_pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        with ServiceRefusal(request, form) as refusal:
            conflict_declare(
                submission_id=submission.pk, judge=user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("Conflict of interest recorded: this entry is no longer shown to you."),
            )
        if not refusal.on_form:
            return redirect("seekers:judging", pk=challenge.pk)
    return _entry_page(request, challenge, submission, conflict_form=form, status=400)


@login_required
@require_POST
def review(request, pk, submission_pk):
    user = request.user
    challenge = judging_challenge(user, pk)
    submission = challenge_submission_for_reader(user, challenge, submission_pk)
    form = ReviewForm(request.POST, statuses=ReviewStatus.values, submission=submission)
    if form.is_valid():
        with ServiceRefusal(request, form) as refusal:
            submission_review_set(submission_id=submission.pk, actor=user, **form.cleaned_data)
            messages.success(request, _("Review saved: the solver is notified."))
        if not refusal.on_form:
            return redirect("seekers:judging_entry", pk=challenge.pk, submission_pk=submission.pk)
    return _entry_page(request, challenge, submission, review_form=form, status=400)
