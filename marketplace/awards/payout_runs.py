"""What the payout task does for one award: send each pending payout through the
gateway (outside any transaction), then settle the award. An award frozen in a staff
dispute sends nothing until the dispute ends. A payout that fails for good (the gateway
refused it, or never answered through the last retry) is told to staff, who can retry
it; so is a paid payout the provider took back."""

from marketplace.accounts.models import User
from marketplace.awards.models import Award, AwardState, award_id_of
from marketplace.awards.services.payment import award_settle_payment
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send
from payouts.models import Payout, PayoutState
from payouts.selectors import payouts_for
from payouts.services.payouts import payout_fail, payout_send


def _staff_told(award: Award, payout: Payout) -> None:
    """Once per failed attempt (a retried payout that fails again is told again), and
    once when a paid payout is reversed."""
    reversed_ = payout.state == PayoutState.REVERSED
    attempt = "reversed" if reversed_ else payout.attempts
    notifications_send(
        kind=NotificationKind.PAYOUT_FAILED,
        users=User.objects.filter(is_staff=True, is_active=True),
        key=f"payout:{payout.pk}:{attempt}",
        challenge=award.challenge,
        award=award,
        params={
            "payout": payout.pk,
            "amount": payout.amount,
            "currency": payout.currency,
            "message": payout.failure_message,
            "reversed": reversed_,
        },
    )


def award_pay(*, award_id: int) -> str:
    award = Award.objects.get(pk=award_id)
    if award.is_frozen:
        return "frozen"
    for payout in payouts_for(award.reference):
        if payout.state == PayoutState.PENDING:
            sent = payout_send(payout_id=payout.pk)
            if sent.state == PayoutState.FAILED:
                _staff_told(award, sent)
    # A payout that went through has settled the award already (its hook); settle here
    # only what is still to settle, without taking the challenge's lock for nothing.
    state = Award.objects.values_list("state", flat=True).get(pk=award_id)
    if state != AwardState.VERIFIED:
        return state
    return award_settle_payment(award_id=award_id).state


def award_payouts_give_up(*, award_id: int, message: str) -> None:
    """The gateway never answered: mark what is still pending failed, for staff."""
    award = Award.objects.get(pk=award_id)
    for payout in payouts_for(award.reference):
        if payout.state == PayoutState.PENDING:
            failed = payout_fail(payout_id=payout.pk, message=message)
            if failed.state == PayoutState.FAILED:
                _staff_told(award, failed)


def award_payout_reversed(*, reference: str, payout_id: int) -> None:
    """Payout hook: the provider took back a paid payout of `reference` (its money is
    owed to the payee again); staff are told, as of a payout that failed."""
    award = Award.objects.filter(pk=award_id_of(reference)).first()
    if award is not None:
        _staff_told(award, Payout.objects.get(pk=payout_id))
