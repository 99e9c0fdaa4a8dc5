"""The submissions' background work: a version's receipt, e-mailed after commit. The
task's name is what queued messages use: it stays the same wherever the code lives."""

from celery import shared_task

from marketplace.submissions.receipts import receipt_email_send


@shared_task(name="marketplace.tasks.send_submission_receipt", acks_late=True)
def send_submission_receipt(version_id: int) -> int:
    return receipt_email_send(version_id=version_id)
