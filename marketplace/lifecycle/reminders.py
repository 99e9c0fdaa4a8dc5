"""Reminders before a submission deadline."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send

WINDOW = timedelta(hours=48)
# With less time than this left a reminder comes too late to help.
MINIMUM = timedelta(hours=1)


def deadline_reminders_send(*, now: datetime | None = None) -> int:
    """Remind every registered solver of an open challenge whose submission deadline
    is at most 48 hours and at least an hour away; the wording states the time left.
    Once per challenge and deadline: after an extension the new deadline is reminded
    of again. Returns how many reminders were new."""
    now = now or timezone.now()
    due = Challenge.objects.filter(
        state=ChallengeState.OPEN,
        submission_deadline__gte=now + MINIMUM,
        submission_deadline__lte=now + WINDOW,
    ).order_by("pk")
    sent = 0
    for challenge in due:
        deadline = challenge.submission_deadline
        with transaction.atomic(durable=True):
            sent += notifications_send(
                kind=NotificationKind.DEADLINE_SOON,
                users=User.objects.filter(registrations__challenge=challenge),
                key=f"challenge:{challenge.pk}:{int(deadline.timestamp())}",
                challenge=challenge,
                params={"deadline": deadline.isoformat(), "sent": now.isoformat()},
            )
    return sent
