"""The notifications' background work: their e-mails, sent after commit, and the daily
digest. A task's name is what queued messages and the beat schedule use: it stays the
same wherever the code lives."""

from celery import shared_task

from marketplace.notifications.digests import digests_send
from marketplace.notifications.emails import notification_emails_send


@shared_task(name="marketplace.tasks.send_notification_emails", acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    return notification_emails_send(notification_ids=notification_ids)


@shared_task(name="marketplace.tasks.send_notification_digests")
def send_digests() -> int:
    """Beat task, daily: each person's digest of the notifications they chose to hear
    of that way."""
    return digests_send()
