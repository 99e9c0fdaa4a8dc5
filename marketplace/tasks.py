"""Background work. Tasks take ids, re-load rows and are safe to run twice."""

from celery import shared_task

from marketplace.lifecycle.emails import event_emails_send


@shared_task
def close_expired_challenges() -> int:
    """Beat task: close every challenge whose submission deadline has passed."""
    from marketplace.lifecycle.services import challenges_close_expired

    return challenges_close_expired()


@shared_task(acks_late=True)
def send_event_emails(event_id: int) -> int:
    return event_emails_send(event_id=event_id)


@shared_task(acks_late=True)
def send_submission_receipt(version_id: int) -> int:
    from marketplace.submissions.receipts import receipt_email_send

    return receipt_email_send(version_id=version_id)


@shared_task(acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    from marketplace.notifications.emails import notification_emails_send

    return notification_emails_send(notification_ids=notification_ids)


@shared_task(bind=True, acks_late=True, max_retries=8)
def pay_award(self, award_id: int) -> str:
    """Send an award's payouts, then settle it. Safe to run twice and after a crash at
    any line: each payout is sent with the same idempotency key and posted once. A
    gateway that does not answer is retried with backoff; after the last retry the
    payouts are marked failed, visible to staff, who can retry them."""
    from marketplace.awards.payout_runs import award_pay, award_payouts_give_up
    from payouts.gateways import GatewayUnavailable

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


@shared_task(acks_late=True)
def generate_certificate(certificate_id: int) -> str:
    from marketplace.awards.certificates import certificate_make

    return certificate_make(certificate_id=certificate_id)


@shared_task
def forfeit_expired_awards() -> int:
    """Beat task: forfeit awards whose claim deadline passed unclaimed."""
    from marketplace.awards.services import awards_forfeit_expired

    return awards_forfeit_expired()


@shared_task
def send_deadline_reminders() -> int:
    """Beat task: remind registered solvers when a submission deadline is 48 hours away."""
    from marketplace.lifecycle.reminders import deadline_reminders_send

    return deadline_reminders_send()


@shared_task
def settle_released_awards() -> int:
    """Beat task: finish released awards whose payouts were confirmed elsewhere (webhook)
    or whose payout task lost its answer."""
    from marketplace.awards.services import awards_settle_released

    return awards_settle_released()
