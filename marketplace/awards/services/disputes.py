"""Staff disputes over an award: `award_freeze` holds it where it is; `award_unfreeze`
ends the dispute in the winner's favour, `forfeit.award_forfeit` by withdrawing it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.permissions import is_staff
from marketplace.awards.models import Award, AwardState
from marketplace.awards.services.common import _lock, _log
from marketplace.awards.services.release import _advance
from marketplace.core.effects import task_queue_after_commit
from marketplace.core.errors import IllegalTransition, NotAllowed


def _require_staff_reason(actor, reason: str) -> str:
    if not is_staff(actor):
        raise NotAllowed(_("Only staff can handle a dispute."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason for this action.")]})
    return reason[:500]


def award_freeze(*, award_id: int, actor, reason: str) -> Award:
    """Staff open a dispute: while the award is frozen it is not released, not paid and
    does not lapse; it ends with `award_unfreeze` (the winner keeps it) or
    `award_forfeit` (withdrawn). Freezing twice changes nothing."""
    reason = _require_staff_reason(actor, reason)
    with transaction.atomic(durable=True):
        award = _lock(award_id)
        if award.is_settled:
            raise IllegalTransition(
                _("A paid or forfeited award cannot be disputed."),
                state=award.state,
                code="award_settled",
            )
        if award.is_frozen:
            return award
        award.frozen_at = timezone.now()
        award.frozen_by = actor
        award.frozen_reason = reason
        award.save()
        _log(award, actor, "award_freeze", reason=reason)
    return award


def award_unfreeze(*, award_id: int, actor, reason: str) -> Award:
    """Staff end a dispute in the winner's favour: the award moves on as if it had never
    been frozen (released at once if verified, its payouts sent)."""
    reason = _require_staff_reason(actor, reason)
    with transaction.atomic(durable=True):
        award = _lock(award_id)
        if not award.is_frozen:
            return award
        award.frozen_at = None
        award.frozen_by = None
        award.frozen_reason = ""
        award.save()
        _log(award, actor, "award_unfreeze", reason=reason)
        released = award.released_at is not None
        _advance(award, actor)
        if released and award.state == AwardState.VERIFIED:
            task_queue_after_commit("marketplace.tasks.pay_award", award.pk)
    return award
