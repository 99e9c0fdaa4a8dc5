"""Reads for judging and winner selection, shared by the Seeker's pages and the API:
who may judge, a judge's own scores, the judges' notes for owners, the ranked entries,
and a challenge's awards with everything the owner follows them by."""

from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from marketplace.awards.models import Award, AwardRecipient
from marketplace.challenges import permissions
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.judging.models import Evaluation
from marketplace.judging.scoreboard import scoreboard, weighted_total
from marketplace.submissions.selectors import can_read_all_submissions, challenge_submissions_for
from payouts.models import Payout


def may_use_workspace(user, challenge: Challenge) -> bool:
    """The judging workspace: the challenge's owners and its judges."""
    return permissions.is_owner(user, challenge) or permissions.is_active_judge(user, challenge)


def may_choose_winners(user, challenge: Challenge) -> bool:
    """The scoreboard and the awards: the challenge's owners and staff."""
    return permissions.is_owner(user, challenge) or permissions.is_staff(user)


def shows_identity(user, challenge: Challenge) -> bool:
    """Blind judging hides who submitted from judges, never from owners and staff, who
    choose and pay the winners."""
    return not challenge.blind_judging or may_choose_winners(user, challenge)


def own_scores(challenge: Challenge, judge) -> dict[int, dict[int, int]]:
    """submission id -> {requirement id: score} given by one judge, in one query."""
    scores: dict[int, dict[int, int]] = {}
    for submission_id, requirement_id, score in Evaluation.objects.filter(
        judge=judge, submission__challenge=challenge
    ).values_list("submission_id", "requirement_id", "score"):
        scores.setdefault(submission_id, {})[requirement_id] = score
    return scores


def own_total(scores: dict[int, int], requirements) -> Decimal | None:
    """One judge's total of one entry on 0-100, weighted as on the scoreboard (an
    unscored requirement counts as 0); None before any score."""
    return weighted_total(scores, requirements) if scores else None


def judges_notes(challenge: Challenge, submission) -> list[tuple]:
    """For owners: (judge, [evaluations]) of each assigned judge who scored the entry."""
    grouped: dict[int, tuple] = {}
    for evaluation in (
        Evaluation.objects.filter(
            submission=submission, judge__judge_assignments__challenge=challenge
        )
        .select_related("judge", "requirement")
        .order_by("judge__full_name", "judge_id", "requirement__position")
    ):
        grouped.setdefault(evaluation.judge_id, (evaluation.judge, []))[1].append(evaluation)
    return list(grouped.values())


def ranked_entries(user, challenge: Challenge) -> list:
    """Scoreboard rows of every entry the user may read, best first; none before the
    entries are revealed."""
    if not can_read_all_submissions(user, challenge):
        return []
    return scoreboard(challenge, submissions=list(challenge_submissions_for(user, challenge)))


def awards_of(challenge: Challenge, award_id: int | None = None) -> list:
    """The challenge's awards (or only `award_id`) in plan order, with their winners,
    recipients (and deeds, with their void marks) and `payouts` attached, each marked
    `can_forfeit` (unsigned after its claim deadline). A fixed number of queries."""
    recipients = AwardRecipient.objects.select_related("user", "deed__void").order_by(
        "-share_bps", "pk"
    )
    awards = challenge.awards.all() if award_id is None else challenge.awards.filter(pk=award_id)
    awards = list(
        awards.select_related("submission__author", "submission__team", "planned_award")
        .prefetch_related(Prefetch("recipients", queryset=recipients))
        .order_by("planned_award__position", "pk")
    )
    payouts: dict[str, list] = {}
    references = [a.reference for a in awards]
    for payout in Payout.objects.filter(reference__in=references).select_related("payee"):
        payouts.setdefault(payout.reference, []).append(payout)
    now = timezone.now()
    for award in awards:
        award.payouts = payouts.get(award.reference, [])
        award.can_forfeit = award.claim_expired(now)
    return awards


def choosing_winners(challenge: Challenge) -> bool:
    """Winners may be chosen: the challenge is awarding and the owner has not finished."""
    return challenge.state == ChallengeState.AWARDING and challenge.awards_final_at is None


def award_for_party(user, award_id: int) -> Award:
    """The award (its recipients, their users and deeds loaded) for its recipients, the
    challenge's owners and staff; else 404."""
    award = (
        Award.objects.select_related("challenge")
        .prefetch_related("recipients__user", "recipients__deed__void")
        .filter(pk=award_id)
        .first()
    )
    if award is None or not (
        any(r.user_id == user.pk for r in award.recipients.all())
        or permissions.is_owner(user, award.challenge)
        or permissions.is_staff(user)
    ):
        raise Http404
    return award
