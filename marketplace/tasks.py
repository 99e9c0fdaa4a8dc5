"""Background work. Tasks take ids, re-load rows and are safe to run twice."""

from celery import shared_task

from .notifications import event_emails_send


@shared_task
def close_expired_challenges() -> int:
    """Beat task: close every challenge whose submission deadline has passed."""
    from .services.lifecycle import challenges_close_expired

    return challenges_close_expired()


@shared_task(acks_late=True)
def send_event_emails(event_id: int) -> int:
    return event_emails_send(event_id=event_id)


@shared_task(acks_late=True)
def send_submission_receipt(version_id: int) -> int:
    from .receipts import receipt_email_send

    return receipt_email_send(version_id=version_id)
