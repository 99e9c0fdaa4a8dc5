"""Telling the owners and managers of a challenge's organisation of its new entries, at
most once an hour per challenge: the first entry after a quiet hour is told at once,
the ones after it wait for the hour to end and are told together ("3 new entries"), by
the beat task `send_entry_notices`. The challenge's `EntryArrivals` row, locked while
it changes, holds the entries not yet told, so concurrent entries are all counted."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send
from marketplace.organisations.selectors import editors_of
from marketplace.submissions.models import EntryArrivals, Submission

WINDOW = timedelta(hours=1)


def _tell(arrivals: EntryArrivals, now: datetime) -> None:
    challenge = arrivals.challenge
    arrivals.batches += 1
    notifications_send(
        kind=NotificationKind.ENTRIES_RECEIVED,
        users=editors_of(challenge.organization_id),
        key=f"challenge:{challenge.pk}:{arrivals.batches}",
        challenge=challenge,
        params={"entries": arrivals.pending},
    )
    arrivals.pending = []
    arrivals.pending_since = None
    arrivals.last_sent_at = now


def entry_arrived(*, submission: Submission, now: datetime | None = None) -> None:
    """Count a new entry, inside the transaction that created it; tell it at once when
    nothing was told in the last hour."""
    now = now or timezone.now()
    arrivals, _created = EntryArrivals.objects.select_for_update().get_or_create(
        challenge=submission.challenge
    )
    arrivals.pending.append(submission.pk)
    arrivals.pending_since = arrivals.pending_since or now
    if arrivals.last_sent_at is None or now - arrivals.last_sent_at >= WINDOW:
        _tell(arrivals, now)
    arrivals.save()


def entry_notices_send(*, now: datetime | None = None) -> int:
    """Beat task body: tell the entries that waited for their hour to end. Returns how
    many challenges' entries were told."""
    now = now or timezone.now()
    due = list(
        EntryArrivals.objects.filter(
            pending_since__isnull=False, last_sent_at__lte=now - WINDOW
        ).values_list("pk", flat=True)
    )
    told = 0
    for pk in due:
        with transaction.atomic(durable=True):
            arrivals = EntryArrivals.objects.select_for_update().get(pk=pk)
            if arrivals.pending and now - arrivals.last_sent_at >= WINDOW:
                _tell(arrivals, now)
                arrivals.save()
                told += 1
    return told
