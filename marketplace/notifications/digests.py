"""The daily digest: one e-mail per person listing the notifications they chose to
hear of that way and have not been sent yet, in their language. Each is marked sent
with the e-mail, so running the digest again sends nothing twice."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.core.mail import mail_user
from marketplace.notifications.kinds import notification_message
from marketplace.notifications.models import Delivery, Notification


def _pending():
    return Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)


def digests_send() -> int:
    """Send every digest due; return how many e-mails went out. A person's rows are
    locked while their digest is sent (a digest run at the same time skips them)."""
    user_ids = sorted(set(_pending().values_list("user_id", flat=True)))
    sent = 0
    for user_id in user_ids:
        with transaction.atomic(durable=True):
            ids = list(
                _pending()
                .filter(user_id=user_id)
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)
            )
            rows = list(
                Notification.objects.filter(pk__in=ids)
                .select_related("user", "challenge__organization", "award")
                .prefetch_related("award__recipients")
                .order_by("created_at", "pk")
            )
            if not rows:  # another run is sending this digest
                continue
            user = rows[0].user
            with translation.override(user.language):
                messages = [notification_message(n) for n in rows]
            mail_user(
                user,
                "emails/notification_digest",
                {
                    "messages": messages,
                    "list_url": reverse("notifications"),
                    "preferences_url": reverse("notification_preferences"),
                },
            )
            Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
            sent += 1
    return sent
