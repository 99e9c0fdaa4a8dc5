"""Notifications: one in-app row per person and event, e-mailed after commit in the
reader's language. The row's unique key (kind, event, person) makes every
notification happen once, however often the event is reported. A row keeps its kind
and parameters, not its text: its kind's registered wording (`kinds.py`) words it for
whoever reads it."""

from collections.abc import Iterable
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Notice:
    """One person's notification of an event, for `notifications_send_many`."""

    user_id: int
    key: str
    challenge_id: int | None = None
    params: dict = field(default_factory=dict)


def notifications_send_many(*, kind: str, notices: Iterable[Notice]) -> int:
    """Record `kind` for many events at once (a sweep's): one query for the ones already
    recorded, one INSERT for the rest, their e-mails queued after commit. For callers
    that hold the events' rows locked, so no other process records them meanwhile.
    Returns how many were new."""
    rows = {
        f"{kind}:{notice.key}:{notice.user_id}"[:200]: Notification(
            key=f"{kind}:{notice.key}:{notice.user_id}"[:200],
            user_id=notice.user_id,
            kind=kind,
            challenge_id=notice.challenge_id,
            params=notice.params,
        )
        for notice in notices
    }
    if not rows:
        return 0
    known = set(Notification.objects.filter(key__in=rows).values_list("key", flat=True))
    created = Notification.objects.bulk_create(
        [row for key, row in rows.items() if key not in known]
    )
    if created:
        task_queue_after_commit(
            "marketplace.tasks.send_notification_emails", [row.pk for row in created]
        )
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
