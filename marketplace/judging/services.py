"""Judging: assigning judges, declaring conflicts, scoring entries, shortlisting.
Scores can only be given while the challenge is being judged."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.challenges.events import challenge_event_record
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.permissions import is_active_judge, require_owner_or_staff
from marketplace.challenges.states import BEFORE_AWARDING
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.judging.models import SCORE_MAX, SCORE_MIN, Conflict, Evaluation, JudgeAssignment
from marketplace.organisations.permissions import org_role
from marketplace.organisations.roles import JUDGING_ROLES
from marketplace.submissions.models import ReviewStatus, Submission, SubmissionState
from marketplace.submissions.permissions import is_conflicted
from marketplace.submissions.reviews import submission_review_set


def judge_assign(*, challenge_id: int, actor, judge) -> JudgeAssignment:
    """Make an organisation member (judge or owner role) a judge of the challenge."""
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        require_owner_or_staff(actor, challenge)
        if challenge.state not in BEFORE_AWARDING:
            raise IllegalTransition(
                _("Judges can no longer be changed: judging has ended."), state=challenge.state
            )
        role = org_role(judge, challenge.organization_id)
        if role not in JUDGING_ROLES:
            raise ValidationError(
                {"judge": [_("Only the organisation's judges and owners can judge.")]}
            )
        assignment, created = JudgeAssignment.objects.get_or_create(
            challenge=challenge, judge=judge, defaults={"assigned_by": actor}
        )
        if created:
            challenge_event_record(
                challenge=challenge, actor=actor, name="judge_assign", details={"judge": judge.pk}
            )
    return assignment


def judge_unassign(*, challenge_id: int, actor, judge) -> None:
    """Remove a judge; their scores no longer count (they are kept for the record)."""
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        require_owner_or_staff(actor, challenge)
        if challenge.state not in BEFORE_AWARDING:
            raise IllegalTransition(
                _("Judges can no longer be changed: judging has ended."), state=challenge.state
            )
        deleted, _rows = JudgeAssignment.objects.filter(challenge=challenge, judge=judge).delete()
        if deleted:
            challenge_event_record(
                challenge=challenge, actor=actor, name="judge_unassign", details={"judge": judge.pk}
            )


def _judged_submission(submission_id: int, judge) -> Submission:
    submission = Submission.objects.select_related("challenge").get(pk=submission_id)
    if not is_active_judge(judge, submission.challenge):
        raise NotAllowed(_("You are not a judge of this challenge."))
    return submission


def conflict_declare(*, submission_id: int, judge, reason: str) -> Conflict:
    """The judge steps away from one entry: from now on they can neither see nor score
    it, and any scores they gave it are removed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say briefly why you have a conflict of interest.")]})
    with transaction.atomic(durable=True):
        submission = _judged_submission(submission_id, judge)
        conflict, created = Conflict.objects.get_or_create(
            submission=submission, judge=judge, defaults={"reason": reason[:500]}
        )
        if created:
            Evaluation.objects.filter(submission=submission, judge=judge).delete()
            challenge_event_record(
                challenge=submission.challenge,
                actor=judge,
                name="conflict_declare",
                details={"submission": submission.pk, "judge": judge.pk},
            )
    return conflict


def _score(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            raise ValidationError({field: [_("A score is a whole number.")]}) from None
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise ValidationError(
            {
                field: [
                    _("A score is between %(min)s and %(max)s.")
                    % {"min": SCORE_MIN, "max": SCORE_MAX}
                ]
            }
        )
    return value


def evaluation_save(*, submission_id: int, judge, scores: dict) -> list[Evaluation]:
    """Save a judge's scores of one entry. `scores` maps requirement id to
    {"score": 0-10, "note": "..."}; requirements left out keep their earlier score."""
    with transaction.atomic(durable=True):
        submission = _judged_submission(submission_id, judge)
        challenge = Challenge.objects.select_for_update().get(pk=submission.challenge_id)
        if challenge.state != ChallengeState.JUDGING:
            raise IllegalTransition(
                _("Scores can only be given while the challenge is being judged."),
                state=challenge.state,
                code="judging_closed",
            )
        if submission.state != SubmissionState.ACTIVE:
            raise ValidationError({"submission": [_("This entry was withdrawn.")]})
        if is_conflicted(judge, submission):
            raise NotAllowed(_("You declared a conflict of interest with this entry."))
        requirements = {r.pk: r for r in challenge.requirements.all()}
        if not scores:
            raise ValidationError({"scores": [_("Give at least one score.")]})
        cleaned = {}
        for key, value in scores.items():
            try:
                requirement = requirements[int(key)]
            except (KeyError, TypeError, ValueError):
                raise ValidationError(
                    {"scores": [_("Unknown requirement: %(id)s.") % {"id": key}]}
                ) from None
            value = value if isinstance(value, dict) else {"score": value}
            field = f"score_{requirement.pk}"
            note = str(value.get("note") or "").strip()
            if len(note) > 5000:
                raise ValidationError({field: [_("A note has at most 5,000 characters.")]})
            cleaned[requirement] = (_score(value.get("score"), field), note)
        saved = []
        for requirement, (score, note) in cleaned.items():
            evaluation, _created = Evaluation.objects.update_or_create(
                submission=submission,
                judge=judge,
                requirement=requirement,
                defaults={"score": score, "note": note},
            )
            saved.append(evaluation)
    return saved


def submission_shortlist(*, submission_id: int, actor, shortlisted: bool) -> Submission:
    """The owner marks (or unmarks) an entry as a contender while judging and awarding:
    the review status "shortlisted" (`submissions.reviews`); taken off the shortlist,
    the entry is admissible again."""
    submission = Submission.objects.get(pk=submission_id)
    if submission.shortlisted == shortlisted:
        status = submission.review_status
    else:
        status = ReviewStatus.SHORTLISTED if shortlisted else ReviewStatus.ADMISSIBLE
    return submission_review_set(
        submission_id=submission_id,
        actor=actor,
        status=status,
        reason=submission.review_reason,
        note=submission.review_note,
    )
