"""The e-mail of each notification, in its reader's language, sent once."""

from django.urls import reverse
from django.utils import timezone, translation

from marketplace.core.mail import mail_user
from marketplace.notifications.kinds import notification_message
from marketplace.notifications.models import Notification


def notification_emails_send(*, notification_ids: list[int]) -> int:
    sent = 0
    for notification in (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("user", "challenge__organization", "award")
        .prefetch_related("award__recipients")
    ):
        user = notification.user
        with translation.override(user.language):
            message = notification_message(notification)
        mail_user(
            user, "emails/notification", {"message": message, "list_url": reverse("notifications")}
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
