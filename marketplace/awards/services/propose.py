"""The owner chooses a winner: one planned award given to an entry, split among a
winning team's members."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.awards.models import Award, AwardRecipient, AwardState
from marketplace.awards.services.budget import award_budget
from marketplace.awards.services.common import _log, _recipient_users
from marketplace.challenges.models import Challenge, ChallengeState, PlannedAward
from marketplace.challenges.permissions import require_owner_or_staff
from marketplace.core.errors import IllegalTransition
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send
from marketplace.submissions.models import Submission, SubmissionState
from marketplace.teams.states import TeamMemberState
from payouts.currency import format_money
from payouts.splits import split_largest_remainder


def _split(submission: Submission, amount: int) -> list[tuple[int, int, int]]:
    """(user id, share in basis points, amount) for each person the award pays."""
    if submission.team_id is None:
        return [(submission.author_id, 10_000, amount)]
    members = list(
        submission.team.members.filter(state=TeamMemberState.ACTIVE)
        .order_by("pk")
        .values_list("user_id", "share_bps")
    )
    if not members or sum(bps for _u, bps in members) == 0:
        raise ValidationError({"submission": [_("The winning team has no members with a share.")]})
    parts = split_largest_remainder(amount, [bps for _u, bps in members])
    return [(user, bps, part) for (user, bps), part in zip(members, parts, strict=True)]


def award_propose(
    *,
    challenge_id: int,
    actor,
    submission_id: int,
    planned_award_id: int,
    amount: int | None = None,
) -> Award:
    """The owner awards an entry one planned award, in full or in part. The total of
    live awards never exceeds what escrow holds."""
    with transaction.atomic(durable=True):
        challenge = (
            Challenge.objects.select_for_update()
            .select_related("organization")
            .get(pk=challenge_id)
        )
        require_owner_or_staff(actor, challenge)
        if challenge.state != ChallengeState.AWARDING:
            raise IllegalTransition(
                _("Winners are chosen once judging is over (the challenge is awarding)."),
                state=challenge.state,
            )
        if challenge.awards_final_at is not None:
            raise IllegalTransition(
                _("Winner selection is finished."), state=challenge.state, code="awards_final"
            )
        submission = Submission.objects.filter(pk=submission_id, challenge=challenge).first()
        if submission is None:
            raise ValidationError({"submission": [_("No such entry in this challenge.")]})
        if submission.state != SubmissionState.ACTIVE:
            raise ValidationError(
                {
                    "submission": ValidationError(
                        _("This entry was withdrawn and cannot win."), code="withdrawn"
                    )
                }
            )
        planned = PlannedAward.objects.filter(pk=planned_award_id, challenge=challenge).first()
        if planned is None:
            raise ValidationError({"planned_award": [_("No such award in the award plan.")]})
        if amount is None:
            amount = planned.amount
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ValidationError({"amount": [_("The amount must be more than zero.")]})
        if amount > planned.amount:
            raise ValidationError(
                {
                    "amount": [
                        _("A partial award can be at most the planned %(amount)s.")
                        % {"amount": format_money(planned.amount, challenge.currency)}
                    ]
                }
            )
        if (
            challenge.awards.filter(planned_award=planned)
            .exclude(state=AwardState.FORFEITED)
            .exists()
        ):
            raise ValidationError({"planned_award": [_("This award has already been given.")]})
        if (
            challenge.awards.filter(submission=submission)
            .exclude(state=AwardState.FORFEITED)
            .exists()
        ):
            raise ValidationError({"submission": [_("This entry already has an award.")]})
        available = award_budget(challenge).available
        if amount > available:
            raise ValidationError(
                {
                    "amount": ValidationError(
                        _(
                            "The awards would exceed the prize money held in escrow: "
                            "%(available)s is still available."
                        )
                        % {"available": format_money(max(available, 0), challenge.currency)},
                        code="exceeds_escrow",
                    )
                }
            )
        award = Award.objects.create(
            challenge=challenge,
            submission=submission,
            planned_award=planned,
            amount=amount,
            claim_deadline=timezone.now() + timedelta(days=challenge.claim_days),
            proposed_by=actor,
        )
        AwardRecipient.objects.bulk_create(
            AwardRecipient(award=award, user_id=user_id, share_bps=bps, amount=part)
            for user_id, bps, part in _split(submission, amount)
        )
        _log(award, actor, "award_propose", amount=amount, submission=submission.pk)
        notifications_send(
            kind=NotificationKind.AWARD_WON,
            users=_recipient_users(award),
            key=f"award:{award.pk}",
            challenge=challenge,
            award=award,
        )
    return award
