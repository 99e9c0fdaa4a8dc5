"""The e-mail of each notification, in its reader's language, sent once."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Notification
from .notify import notification_message


def notification_emails_send(*, notification_ids: list[int]) -> int:
    sent = 0
    for notification in (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("user", "challenge__organization", "award")
        .prefetch_related("award__recipients")
    ):
        user = notification.user
        with translation.override(user.language):
            context = {
                "user": user,
                "message": notification_message(notification),
                "site_url": settings.SITE_URL,
                "list_url": reverse("notifications"),
            }
            subject = render_to_string("emails/notification_subject.txt", context).strip()
            body = render_to_string("emails/notification_body.txt", context)
        send_mail(subject, body, None, [user.email])
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
