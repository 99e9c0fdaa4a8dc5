"""The owner has finished choosing winners.

When every award is paid or forfeited and the owner has finished choosing, the
challenge completes and the rest of the escrow is refunded: paying an award and
finishing the selection queue the lifecycle's `settle_challenge` task after commit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.awards.models import AwardState
from marketplace.challenges.events import challenge_event_record
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.permissions import require_owner_or_staff
from marketplace.core.effects import task_queue_after_commit
from marketplace.core.errors import IllegalTransition


def awards_finalize(*, challenge_id: int, actor) -> Challenge:
    """The owner has chosen every winner. Once all awards are paid or forfeited the
    challenge completes and the rest of the escrow is refunded."""
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        require_owner_or_staff(actor, challenge)
        if challenge.state != ChallengeState.AWARDING:
            raise IllegalTransition(_("The challenge is not awarding."), state=challenge.state)
        if not challenge.awards.exclude(state=AwardState.FORFEITED).exists():
            raise ValidationError(
                {"awards": [_("Choose at least one winner, or end the challenge with no award.")]}
            )
        if challenge.awards_final_at is None:
            challenge.awards_final_at = timezone.now()
            challenge.save(update_fields=["awards_final_at", "updated_at"])
            challenge_event_record(challenge=challenge, actor=actor, name="awards_finalize")
        task_queue_after_commit("marketplace.tasks.settle_challenge", challenge_id)
    return Challenge.objects.get(pk=challenge_id)
