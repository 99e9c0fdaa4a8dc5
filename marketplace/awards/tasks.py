"""The awards' background work. Tasks take ids, re-load rows and are safe to run twice.
Their names are what queued messages and the beat schedule use: they stay the same
wherever the code lives."""

from celery import shared_task

from marketplace.awards.certificates import certificate_make
from marketplace.awards.payout_runs import award_pay, award_payouts_give_up
from marketplace.awards.services.forfeit import awards_forfeit_expired
from marketplace.awards.services.payment import awards_settle_released
from payouts.gateways import GatewayUnavailable


@shared_task(name="marketplace.tasks.pay_award", bind=True, acks_late=True, max_retries=8)
def pay_award(self, award_id: int) -> str:
    """Send an award's payouts, then settle it. Safe to run twice and after a crash at
    any line: each payout is sent with the same idempotency key and posted once. A
    gateway that does not answer is retried with backoff; after the last retry the
    payouts are marked failed, visible to staff, who can retry them."""
    eager_attempts = 0
    while True:
        try:
            return award_pay(award_id=award_id)
        except GatewayUnavailable as exc:
            tried = eager_attempts if self.request.is_eager else self.request.retries
            if tried >= self.max_retries:
                award_payouts_give_up(award_id=award_id, message=str(exc))
                return "failed"
            if not self.request.is_eager:
                raise self.retry(exc=exc, countdown=min(600, 5 * 2**tried)) from exc
            # Run in-process (no broker): try again at once; the gateway's own client
            # already waited between its network retries.
            eager_attempts += 1


@shared_task(name="marketplace.tasks.generate_certificate", acks_late=True)
def generate_certificate(certificate_id: int) -> str:
    return certificate_make(certificate_id=certificate_id)


@shared_task(name="marketplace.tasks.forfeit_expired_awards")
def forfeit_expired_awards() -> int:
    """Beat task: forfeit awards whose claim deadline passed unclaimed."""
    return awards_forfeit_expired()


@shared_task(name="marketplace.tasks.settle_released_awards")
def settle_released_awards() -> int:
    """Beat task: finish released awards whose payouts were confirmed elsewhere (webhook)
    or whose payout task lost its answer."""
    return awards_settle_released()
