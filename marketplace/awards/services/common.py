"""What the award actions share: the lock, the audit row, the award's recipients.

Awards, from the owner's choice to the payout, are one module of this package per
action or tight group of actions. Each action is one outermost transaction, rows
locked (challenge before award), an audit row in the challenge's log, and side effects
(payout task, e-mails) queued after commit.

    propose -> accept -> sign the deed -> verified (tax form + payout details), which
    releases the prize at once (escrow -> payable, payout task) -> paid (-> certificate)

`propose` chooses a winner within the `budget`; `claim` is the winner's accept,
decline and signature (of the deed `deeds` renders); `release` verifies and releases;
`payment` settles the payouts; `forfeit` withdraws an award; `disputes` freeze one;
`finalize` records that the owner has finished choosing."""

from django.db.models import Subquery
from django.utils.translation import gettext as _

from marketplace.awards.models import Award, AwardRecipient
from marketplace.challenges.events import challenge_event_record
from marketplace.challenges.models import Challenge
from marketplace.core.errors import NotAllowed


def _log(award: Award, actor, name: str, reason: str = "", **details) -> None:
    challenge_event_record(
        challenge=award.challenge,
        actor=actor,
        name=name,
        reason=reason,
        details={"award": award.pk, "award_state": award.state, **details},
    )


def _lock(award_id: int) -> Award:
    """Lock the award's challenge, then the award (always in this order): two queries,
    the challenge's row locked without being fetched (the award brings it)."""
    of_award = Award.objects.filter(pk=award_id).values("challenge_id")
    list(Challenge.objects.select_for_update().filter(pk=Subquery(of_award)).values_list("pk"))
    return (
        Award.objects.select_for_update().select_related("challenge__organization").get(pk=award_id)
    )


def _recipient_users(award: Award) -> list:
    return [r.user for r in award.recipients.select_related("user")]


def _recipient(award: Award, user) -> AwardRecipient:
    recipient = award.recipients.filter(user=user).first() if user.is_authenticated else None
    if recipient is None:
        raise NotAllowed(_("This award is not yours."))
    return recipient
