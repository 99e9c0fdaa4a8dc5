"""Reads for judging, shared by the Seeker's pages and the API: whether names show, a
judge's own scores, the judges' notes for owners and the ranked entries."""

from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from marketplace.challenges.models import Challenge, ChallengeState, Requirement
from marketplace.judging.models import Evaluation, JudgeAssignment, JudgeInvitation, token_digest
from marketplace.judging.scoreboard import scoreboard, weighted_total
from marketplace.organisations.roles import JUDGING_ROLES
from marketplace.submissions.models import Submission
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


def _active_assignments(judge) -> QuerySet[JudgeAssignment]:
    """The judge's assignments that count: invited from outside the organisation, or
    held with a judging role in it (as `is_active_judge`)."""
    return JudgeAssignment.objects.filter(judge=judge).filter(
        Q(outside=True)
        | Q(
            challenge__organization__memberships__user=judge,
            challenge__organization__memberships__role__in=JUDGING_ROLES,
        )
    )


def challenges_judged_from_outside(judge) -> QuerySet[Challenge]:
    """The challenges the person was invited to judge from outside their organisation,
    for their dashboard."""
    return (
        Challenge.objects.filter(judge_assignments__judge=judge, judge_assignments__outside=True)
        .select_related("organization")
        .order_by("-updated_at", "pk")
    )


def pending_judge_invitations(challenge: Challenge) -> QuerySet[JudgeInvitation]:
    """Invitations to judge the challenge not yet accepted or revoked (expired ones
    too: the owner may send them again), newest first."""
    return challenge.judge_invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def judge_invitation_by_token(token: str) -> JudgeInvitation | None:
    """The invitation the link's token opens, whatever its state; None for a wrong one."""
    return (
        JudgeInvitation.objects.select_related("challenge__organization", "invited_by")
        .filter(token_hash=token_digest(token or ""))
        .first()
    )


def _count(qs, field: str) -> Coalesce:
    """COUNT of one correlated subquery, 0 when it has no rows."""
    counted = qs.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def entries_to_score(judge) -> dict[int, int]:
    """challenge id -> how many active entries the judge has not scored on every
    requirement, for each challenge in judging the judge is an active judge of
    (entries the judge declared a conflict with left out); in one query."""
    rows = (
        Submission.objects.active()
        .filter(challenge__state=ChallengeState.JUDGING)
        .filter(Exists(_active_assignments(judge).filter(challenge=OuterRef("challenge_id"))))
        .exclude(conflicts__judge=judge)
        .annotate(
            scored=_count(
                Evaluation.objects.filter(submission=OuterRef("pk"), judge=judge), "submission"
            ),
            needed=_count(
                Requirement.objects.filter(challenge=OuterRef("challenge_id")), "challenge"
            ),
        )
        .filter(scored__lt=F("needed"))
        .order_by()
        .values("challenge_id")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["challenge_id"]: row["n"] for row in rows}


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
