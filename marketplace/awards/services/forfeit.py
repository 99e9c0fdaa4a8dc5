"""Withdrawing an award.

The escrow promise: before the deed is signed an award can lapse (its claim deadline
passes, the winner declines, or staff withdraw it with a reason; before acceptance the
owner may also end the challenge with no award). Once the deed is signed the prize is
the winner's: nothing refunds it to the Seeker; only staff can withdraw it, by freezing
it in a recorded dispute and then forfeiting it. A withdrawn award's signed deeds are
marked void (the IP stays with the solver) and its money goes back to the held escrow,
so the owner may award the next-ranked entry."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from legal.documents import deeds_void
from marketplace.accounts.permissions import is_staff
from marketplace.awards.models import Award, AwardState
from marketplace.awards.services.common import _lock, _log, _recipient_users
from marketplace.challenges.models import Challenge
from marketplace.challenges.permissions import is_owner
from marketplace.challenges.states import OWED, UNCLAIMED
from marketplace.core.errors import IllegalTransition
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send
from marketplace.organisations.selectors import editors_of
from marketplace.submissions.models import Submission
from marketplace.submissions.reviews import submission_review_unwin
from payouts.services.payouts import payouts_cancel

EXPIRED_REASON = gettext_noop("The claim deadline passed.")
DECLINED_REASON = gettext_noop("Declined by the winner.")


def _forfeit_refusal(award: Award, actor) -> str | None:
    """Why `actor` may not withdraw this award now (None when they may). `actor` None
    is the claim-deadline sweep."""
    if award.state == AwardState.PAID:
        return _("This award is paid.")
    if actor is None or is_owner(actor, award.challenge):
        if award.claim_expired():
            return None
        if award.state in OWED:
            return _(
                "The winner has signed the deed: the prize is owed to them. Only staff "
                "can withdraw it, through a dispute."
            )
        return _("An award can be withdrawn only once its claim deadline has passed unclaimed.")
    if is_staff(actor):
        if award.state in OWED and not award.is_frozen:
            return _("The winner has signed the deed: freeze the award in a dispute first.")
        return None
    if award.recipients.filter(user=actor).exists():
        if award.state in UNCLAIMED:
            return None
        return _("You have signed the deed; the prize is yours and is no longer declined here.")
    return _("This award cannot be forfeited now.")


def award_forfeit(*, award_id: int, actor, reason: str = "") -> Award:
    """Withdraw an award: by the system or the owner once the claim deadline has passed
    unclaimed, by a winner declining it before signing, by staff with a reason (after
    the deed is signed, only while the award is frozen in a dispute). Money released
    and not paid goes back to escrow; signed deeds are marked void. The owner may then
    award another entry."""
    reason = (reason or "").strip()
    with transaction.atomic(durable=True):
        award = _lock(award_id)
        if award.state == AwardState.FORFEITED:
            return award
        challenge = award.challenge
        refusal = _forfeit_refusal(award, actor)
        if refusal:
            raise IllegalTransition(refusal, state=award.state, code="not_forfeitable")
        if actor is not None and is_staff(actor) and not reason:
            raise ValidationError({"reason": [_("Give a reason for this action.")]})
        if award.released_at is not None:
            try:
                payouts_cancel(reference=award.reference)
            except ValidationError as exc:
                raise IllegalTransition(
                    " ".join(exc.messages), state=award.state, code="payout_under_way"
                ) from exc
        award.forfeit()
        award.forfeited_at = timezone.now()
        declined = actor is not None and award.recipients.filter(user=actor).exists()
        award.forfeit_reason = (reason or (DECLINED_REASON if declined else EXPIRED_REASON))[:500]
        award.save()
        deeds_void(reference=award.reference, reason=award.forfeit_reason)
        if challenge.awards_final_at is not None:
            Challenge.objects.filter(pk=challenge.pk).update(awards_final_at=None)
        _log(award, actor, "award_forfeit", reason=award.forfeit_reason)
        submission_review_unwin(
            submission=Submission.objects.select_for_update().get(pk=award.submission_id),
            actor=award.proposed_by,
        )
        _forfeit_notify(award, declined)
    return award


def _forfeit_notify(award: Award, declined: bool) -> None:
    """The winners hear their award was forfeited. A winner declining it is told to the
    owners and managers as such; otherwise the owners hear it was forfeited."""
    challenge = award.challenge
    owners = challenge.organization.memberships.filter(role="owner").select_related("user")
    notifications_send(
        kind=NotificationKind.AWARD_FORFEITED,
        users=_recipient_users(award) + ([] if declined else [m.user for m in owners]),
        key=f"award:{award.pk}",
        challenge=challenge,
        award=award,
    )
    if declined:
        notifications_send(
            kind=NotificationKind.AWARD_DECLINED,
            users=editors_of(challenge.organization_id),
            key=f"award:{award.pk}",
            challenge=challenge,
            award=award,
        )


def awards_forfeit_expired(*, now: datetime | None = None) -> int:
    """Beat task body: forfeit every award whose claim deadline passed before its deed
    was signed (awards in a dispute wait for staff)."""
    now = now or timezone.now()
    ids = list(
        Award.objects.filter(
            state__in=UNCLAIMED, claim_deadline__lte=now, frozen_at__isnull=True
        ).values_list("pk", flat=True)
    )
    for award_id in ids:
        try:
            award_forfeit(award_id=award_id, actor=None)
        except IllegalTransition:  # claimed or forfeited in the meantime
            continue
    return len(ids)
