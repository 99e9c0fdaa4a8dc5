"""Notifications: one in-app row per person and event, e-mailed after commit in the
reader's language. The row's unique key (kind, event, person) makes every
notification happen once, however often the event is reported. A row keeps its kind
and parameters, not its text: its kind's registered wording (`kinds.py`) words it for
whoever reads it."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from marketplace.core.effects import task_queue_after_commit
from marketplace.notifications.models import Notification


def notifications_send(
    *,
    kind: str,
    users: Iterable,
    key: str,
    challenge=None,
    award=None,
    params: dict | None = None,
) -> int:
    """Record `kind` for each of `users` (once per person for the event named by `key`)
    and queue their e-mails after commit. Returns how many were new."""
    people = list({user.pk: user for user in users}.values())
    keys = {user.pk: f"{kind}:{key}:{user.pk}"[:200] for user in people}
    known = set(Notification.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    created = []
    for user in people:
        if keys[user.pk] in known:
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    key=keys[user.pk],
                    user=user,
                    kind=kind,
                    challenge=challenge,
                    award=award,
                    params=params or {},
                )
        except IntegrityError:  # the same notification recorded concurrently
            continue
        created.append(notification.pk)
    if created:
        task_queue_after_commit("marketplace.tasks.send_notification_emails", created)
    return len(created)


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read: those with `ids`, or all. Ids of
    other people's notifications are ignored. Returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def notifications_for(user) -> QuerySet[Notification]:
    """The user's notifications, newest first, with what their wording needs."""
    return (
        Notification.objects.filter(user=user)
        .select_related("challenge__organization", "award")
        .prefetch_related("award__recipients")
    )


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
