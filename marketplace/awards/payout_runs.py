"""What the payout task does for one award: send each pending payout through the
gateway (outside any transaction), then settle the award. An award frozen in a staff
dispute sends nothing until the dispute ends."""

from marketplace.awards.models import Award
from marketplace.awards.services.payment import award_settle_payment
from payouts.models import PayoutState
from payouts.selectors import payouts_for
from payouts.services.payouts import payout_fail, payout_send


def award_pay(*, award_id: int) -> str:
    award = Award.objects.get(pk=award_id)
    if award.is_frozen:
        return "frozen"
    for payout in payouts_for(award.reference):
        if payout.state == PayoutState.PENDING:
            payout_send(payout_id=payout.pk)
    return award_settle_payment(award_id=award_id).state


def award_payouts_give_up(*, award_id: int, message: str) -> None:
    """The gateway never answered: mark what is still pending failed, for staff."""
    award = Award.objects.get(pk=award_id)
    for payout in payouts_for(award.reference):
        if payout.state == PayoutState.PENDING:
            payout_fail(payout_id=payout.pk, message=message)
