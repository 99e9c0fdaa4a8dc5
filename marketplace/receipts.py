"""The receipt of a submission version, e-mailed to its authors after commit."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import SubmissionVersion
from .permissions import submission_authors


def receipt_email_send(*, version_id: int) -> int:
    version = SubmissionVersion.objects.select_related("submission__challenge").get(pk=version_id)
    submission = version.submission
    users = get_user_model().objects.filter(pk__in=submission_authors(submission)).order_by("pk")
    for user in users:
        with translation.override(user.language):
            context = {
                "version": version,
                "submission": submission,
                "user": user,
                "challenge": submission.challenge,
                "site_url": settings.SITE_URL,
            }
            subject = render_to_string("emails/receipt_subject.txt", context).strip()
            body = render_to_string("emails/receipt_body.txt", context)
        send_mail(subject, body, None, [user.email])
    return len(users)
