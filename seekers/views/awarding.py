"""The owner's side of choosing winners: the scoreboard (averages, totals, ranks,
disagreements, shortlist) and the awards page (escrow totals, the award plan with each
award's progress, awarding an entry, releasing a verified prize, forfeiting an
unclaimed award, finishing the selection). For the challenge's owners and staff; anyone
else gets 404. Under blind judging the solvers and winners are "Entry #n" until the
winners are chosen (`marketplace.submissions.identity`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.awards.models import AwardState
from marketplace.awards.selectors import awards_of, choosing_winners
from marketplace.awards.services.budget import award_budget
from marketplace.awards.services.finalize import awards_finalize
from marketplace.awards.services.forfeit import award_forfeit
from marketplace.awards.services.propose import award_propose
from marketplace.challenges.display import award_share
from marketplace.challenges.models import ChallengeState
from marketplace.challenges.states import DECIDING
from marketplace.challenges.transitions import available_transitions, transition_refusal
from marketplace.core.feedback import ServiceRefusal
from marketplace.core.references import subject_of
from marketplace.judging.permissions import can_choose_winners
from marketplace.judging.scoreboard import DISAGREEMENT_SPREAD
from marketplace.judging.selectors import ranked_entries
from marketplace.judging.services import submission_shortlist
from marketplace.submissions.identity import shows_solvers
from marketplace.submissions.permissions import can_read_all_submissions
from marketplace.submissions.selectors import challenge_submission_for_reader
from payouts.selectors import statement
from seekers.forms_judging import AwardProposeForm, ForfeitForm
from seekers.views.access import challenge_for_seeker, next_url


def owned_challenge(user, pk: int):
    """The challenge for its owners and staff; 404 for everyone else."""
    challenge = challenge_for_seeker(user, pk)
    if not can_choose_winners(user, challenge):
        raise Http404
    return challenge


# --- scoreboard ----------------------------------------------------------------------------


@login_required
def scores(request, pk):
    user = request.user
    challenge = owned_challenge(user, pk)
    requirements = list(challenge.requirements.all())
    names = {a.judge_id: a.judge for a in challenge.judge_assignments.select_related("judge")}
    shortlisted_only = request.GET.get("shortlisted") == "1"
    rows = []
    for row in ranked_entries(user, challenge):
        if shortlisted_only and not row.submission.shortlisted:
            continue
        cells = [
            (
                row.averages.get(r.pk),
                r.pk in row.disagreements,
                sorted(
                    (str(names[judge_id]), score)
                    for judge_id, score in row.scores.get(r.pk, {}).items()
                ),
            )
            for r in requirements
        ]
        rows.append((row, cells))
    return render(
        request,
        "seekers/judging/scores.html",
        {
            "challenge": challenge,
            "requirements": requirements,
            "rows": rows,
            "judge_count": len(names),
            "revealed": can_read_all_submissions(user, challenge),
            "blind": not shows_solvers(user, challenge),
            "shortlisted_only": shortlisted_only,
            "can_shortlist": challenge.state in DECIDING,
            "spread": DISAGREEMENT_SPREAD,
        },
    )


@login_required
@require_POST
def shortlist(request, pk, submission_pk):
    user = request.user
    challenge = owned_challenge(user, pk)
    submission = challenge_submission_for_reader(user, challenge, submission_pk)
    wanted = request.POST.get("shortlisted") == "1"
    with ServiceRefusal(request):
        submission_shortlist(submission_id=submission.pk, actor=user, shortlisted=wanted)
        text = _("“%(title)s” is shortlisted.") if wanted else _("“%(title)s” left the shortlist.")
        messages.success(request, text % {"title": submission.title})
    return redirect(next_url(request, reverse("seekers:scores", args=[challenge.pk])))


# --- awards --------------------------------------------------------------------------------


def _winner(submission) -> str:
    return (
        _("Team %(name)s") % {"name": submission.team.name}
        if submission.team_id
        else str(submission.author)
    )


def _propose_form(challenge, user, awards, data=None) -> AwardProposeForm | None:
    if not choosing_winners(challenge):
        return None
    live = [a for a in awards if a.state != AwardState.FORFEITED]
    taken_entries = {a.submission_id for a in live}
    taken_slots = {a.planned_award_id for a in live}
    rows = [r for r in ranked_entries(user, challenge) if r.submission.pk not in taken_entries]
    rows.sort(key=lambda r: not r.submission.shortlisted)  # stable: rank order kept
    blind = not shows_solvers(user, challenge)
    entries = [(r.submission.pk, _entry_label(r, blind=blind)) for r in rows]
    planned = [
        (
            p.pk,
            _("Award %(n)s: %(amount)s")
            % {
                "n": p.position,
                "amount": award_share(p.amount, challenge.prize_pool, challenge.currency),
            },
        )
        for p in challenge.planned_awards.all()
        if p.pk not in taken_slots
    ]
    return AwardProposeForm(data, currency=challenge.currency, entries=entries, planned=planned)


def _entry_label(row, *, blind: bool) -> str:
    submission = row.submission
    parts = [_("Entry #%(n)s") % {"n": submission.entry_number}, submission.title]
    if not blind:
        parts.append(_winner(submission))
    parts.append(
        _("total %(total)s") % {"total": row.total} if row.total is not None else _("not scored")
    )
    if submission.shortlisted:
        parts.append(_("shortlisted"))
    return " · ".join(parts)


def _awards_page(request, challenge, form=None, status=200):
    user = request.user
    awards = awards_of(challenge)
    if form is None:
        form = _propose_form(challenge, user, awards)
    given: dict[int, list] = {}
    for award in awards:
        given.setdefault(award.planned_award_id, []).append(award)
    plan = [(planned, given.get(planned.pk, [])) for planned in challenge.planned_awards.all()]
    actions = {t.name: t for t in available_transitions(challenge, user)}
    live = any(a.state != AwardState.FORFEITED for a in awards)
    return render(
        request,
        "seekers/judging/awards.html",
        {
            "challenge": challenge,
            "statement": statement(subject_of(challenge)),
            "budget": award_budget(challenge),
            "plan": plan,
            "blind": not shows_solvers(user, challenge),
            "form": form,
            "can_finalize": choosing_winners(challenge) and live,
            "no_award": actions.get("declare_no_award"),
            "no_award_refusal": ""
            if "declare_no_award" in actions or challenge.state != ChallengeState.AWARDING
            else transition_refusal(challenge, "declare_no_award", user),
        },
        status=status,
    )


@login_required
def awards(request, pk):
    challenge = owned_challenge(request.user, pk)
    if request.method != "POST":
        return _awards_page(request, challenge)
    form = _propose_form(challenge, request.user, awards_of(challenge), request.POST)
    if form is None:
        messages.error(request, _("Winners can be chosen only while the challenge is awarding."))
        return redirect("seekers:awards", pk=challenge.pk)
    if form.is_valid():
        data = form.cleaned_data
        with ServiceRefusal(request, form) as refusal:
            award_propose(
                challenge_id=challenge.pk,
                actor=request.user,
                submission_id=data["submission"],
                planned_award_id=data["planned_award"],
                amount=data["amount"],
            )
            messages.success(request, _("Award given. The winner is told and has to accept it."))
        if not refusal.on_form:
            return redirect("seekers:awards", pk=challenge.pk)
    return _awards_page(request, challenge, form=form, status=400)


@login_required
@require_POST
def forfeit(request, pk, award_pk):
    challenge = owned_challenge(request.user, pk)
    award = get_object_or_404(challenge.awards, pk=award_pk)
    form = ForfeitForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    with ServiceRefusal(request):
        award_forfeit(award_id=award.pk, actor=request.user, reason=reason)
        messages.success(request, _("The award is forfeited; you may give it to another entry."))
    return redirect("seekers:awards", pk=challenge.pk)


@login_required
@require_POST
def finalize(request, pk):
    challenge = owned_challenge(request.user, pk)
    with ServiceRefusal(request):
        challenge = awards_finalize(challenge_id=challenge.pk, actor=request.user)
        if challenge.state == ChallengeState.COMPLETED:
            messages.success(request, _("Winner selection finished: the challenge is complete."))
        else:
            messages.success(
                request,
                _(
                    "Winner selection finished. The challenge completes once every award "
                    "is paid or forfeited; what is left in escrow is then refunded."
                ),
            )
    return redirect("seekers:awards", pk=challenge.pk)
