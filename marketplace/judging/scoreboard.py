"""The judging table: every active entry's average score per requirement over the
assigned judges, its weighted total (0-100), its rank, and where judges disagree.
Two queries whatever the number of entries and judges."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from marketplace.challenges.models import Challenge
from marketplace.judging.models import SCORE_MAX, Evaluation
from marketplace.submissions.models import SubmissionState

# Judges "disagree" on a requirement when their scores of it lie this far apart or more.
DISAGREEMENT_SPREAD = 4
TWO_PLACES = Decimal("0.01")


@dataclass
class Row:
    submission: object
    averages: dict = field(default_factory=dict)  # requirement id -> Decimal
    scores: dict = field(default_factory=dict)  # requirement id -> {judge id: score}
    total: Decimal | None = None
    complete: bool = False
    rank: int | None = None
    disagreements: list = field(default_factory=list)  # requirement ids
    judges: int = 0


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def weighted_total(scores: dict, requirements) -> Decimal:
    """Scores (requirement id -> 0..SCORE_MAX; a missing one counts as 0) weighted by the
    requirements and scaled to 0-100, to two places."""
    weight_sum = sum(r.weight for r in requirements) or 1
    weighted = sum(Decimal(scores.get(r.pk, 0)) * r.weight for r in requirements)
    return _round(weighted * 100 / (weight_sum * SCORE_MAX))


def scoreboard(challenge: Challenge, submissions=None) -> list[Row]:
    """Rows for `submissions` (default: the challenge's active entries), best first.
    A total is the weighted mean of the per-requirement averages scaled to 0-100; it is
    "complete" when every requirement has at least one score. Ties share a rank."""
    requirements = list(challenge.requirements.all())
    if submissions is None:
        submissions = challenge.submissions.filter(state=SubmissionState.ACTIVE).order_by("pk")
    rows = {s.pk: Row(submission=s) for s in submissions}
    judges = set(challenge.judge_assignments.values_list("judge_id", flat=True))
    for submission_id, judge_id, requirement_id, score in Evaluation.objects.filter(
        submission_id__in=rows, judge_id__in=judges
    ).values_list("submission_id", "judge_id", "requirement_id", "score"):
        rows[submission_id].scores.setdefault(requirement_id, {})[judge_id] = score
    for row in rows.values():
        judged_by = set()
        averages = {}
        for requirement in requirements:
            given = row.scores.get(requirement.pk, {})
            judged_by.update(given)
            if not given:
                continue
            averages[requirement.pk] = Decimal(sum(given.values())) / len(given)
            row.averages[requirement.pk] = _round(averages[requirement.pk])
            if max(given.values()) - min(given.values()) >= DISAGREEMENT_SPREAD:
                row.disagreements.append(requirement.pk)
        row.judges = len(judged_by)
        row.complete = bool(requirements) and len(row.averages) == len(requirements)
        if averages:
            row.total = weighted_total(averages, requirements)
    ranked = sorted(
        rows.values(), key=lambda r: (r.total is None, -(r.total or 0), r.submission.pk)
    )
    previous, rank = None, 0
    for position, row in enumerate(ranked, start=1):
        if row.total is None:
            continue
        if row.total != previous:
            rank, previous = position, row.total
        row.rank = rank
    return ranked
