"""Reads for judging, shared by the Seeker's pages and the API: whether names show, a
judge's own scores, the judges' notes for owners and the ranked entries."""

from decimal import Decimal

from marketplace.challenges.models import Challenge
from marketplace.judging.models import Evaluation
from marketplace.judging.scoreboard import scoreboard, weighted_total
from marketplace.submissions.permissions import can_read_all_submissions
from marketplace.submissions.selectors import challenge_submissions_for


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
