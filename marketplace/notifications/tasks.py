"""The notifications' background work: their e-mails, sent after commit. The task's
name is what queued messages use: it stays the same wherever the code lives."""

from celery import shared_task

from marketplace.notifications.emails import notification_emails_send


@shared_task(name="marketplace.tasks.send_notification_emails", acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    return notification_emails_send(notification_ids=notification_ids)
