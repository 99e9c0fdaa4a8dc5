"""The e-mail of each notification, in its reader's language, sent once: at once, or
left for the daily digest, or not at all, as its reader chose for its kind (read for the
whole batch in one query)."""

from django.urls import reverse
from django.utils import timezone, translation

from marketplace.core.mail import mail_user
from marketplace.notifications.kinds import notification_message
from marketplace.notifications.models import Delivery, Notification
from marketplace.notifications.preferences import deliveries_for


def notification_emails_send(*, notification_ids: list[int]) -> int:
    due = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True, delivery="")
        .select_related("user", "challenge__organization", "award")
        .prefetch_related("award__recipients")
    )
    deliveries = deliveries_for((n.user_id, n.kind) for n in due)
    sent = 0
    for notification in due:
        delivery = deliveries[(notification.user_id, notification.kind)]
        if delivery != Delivery.EMAIL:
            continue
        user = notification.user
        with translation.override(user.language):
            message = notification_message(notification)
        mail_user(
            user, "emails/notification", {"message": message, "list_url": reverse("notifications")}
        )
        Notification.objects.filter(pk=notification.pk).update(
            emailed_at=timezone.now(), delivery=Delivery.EMAIL
        )
        sent += 1
    for delivery in (Delivery.DIGEST, Delivery.IN_APP):
        Notification.objects.filter(
            pk__in=[n.pk for n in due if deliveries[(n.user_id, n.kind)] == delivery]
        ).update(delivery=delivery)
    return sent
