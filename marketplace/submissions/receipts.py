"""The receipt of a submission version, e-mailed to its authors after commit."""

from django.contrib.auth import get_user_model

from marketplace.core.mail import mail_user
from marketplace.submissions.models import SubmissionVersion
from marketplace.submissions.permissions import submission_authors


def receipt_email_send(*, version_id: int) -> int:
    version = SubmissionVersion.objects.select_related("submission__challenge").get(pk=version_id)
    submission = version.submission
    users = get_user_model().objects.filter(pk__in=submission_authors(submission)).order_by("pk")
    context = {"version": version, "submission": submission, "challenge": submission.challenge}
    for user in users:
        mail_user(user, "emails/receipt", context)
    return len(users)
