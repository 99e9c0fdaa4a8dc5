"""The lifecycle's background work. Tasks take ids, re-load rows and are safe to run
twice. Their names are what queued messages and the beat schedule use: they stay the
same wherever the code lives."""

from celery import shared_task

from marketplace.lifecycle.emails import event_emails_send
from marketplace.lifecycle.reminders import deadline_reminders_send
from marketplace.lifecycle.services import challenge_settle, challenges_close_expired


@shared_task(name="marketplace.tasks.close_expired_challenges")
def close_expired_challenges() -> int:
    """Beat task: close every challenge whose submission deadline has passed."""
    return challenges_close_expired()


@shared_task(name="marketplace.tasks.send_event_emails", acks_late=True)
def send_event_emails(event_id: int) -> int:
    return event_emails_send(event_id=event_id)


@shared_task(name="marketplace.tasks.send_deadline_reminders")
def send_deadline_reminders() -> int:
    """Beat task: remind registered solvers when a submission deadline is 48 hours away."""
    return deadline_reminders_send()


@shared_task(name="marketplace.tasks.settle_challenge", acks_late=True)
def settle_challenge(challenge_id: int) -> bool:
    """After an award is paid or the owner finishes choosing: complete the challenge
    if its awards are all settled."""
    return challenge_settle(challenge_id=challenge_id)
