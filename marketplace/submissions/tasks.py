"""The submissions' background work: a version's receipt, e-mailed after commit; the new
entries that waited for their hour, told to the Seeker. A task's name is what queued
messages and the beat schedule use: it stays the same wherever the code lives."""

from celery import shared_task

from marketplace.submissions.arrivals import entry_notices_send
from marketplace.submissions.receipts import receipt_email_send


@shared_task(name="marketplace.tasks.send_submission_receipt", acks_late=True)
def send_submission_receipt(version_id: int) -> int:
    return receipt_email_send(version_id=version_id)


@shared_task(name="marketplace.tasks.send_entry_notices")
def send_entry_notices() -> int:
    """Beat task: tell owners and managers of the entries that waited for their hour."""
    return entry_notices_send()
