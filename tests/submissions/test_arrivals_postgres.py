"""Entries submitted at once on PostgreSQL are all counted: the challenge's arrivals row
is locked while it changes, so the hourly notice tells every one of them."""

import pytest
from django.db import connection

from marketplace.challenges.models import ChallengeState as S
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from marketplace.submissions.arrivals import WINDOW, entry_notices_send
from marketplace.submissions.models import EntryArrivals
from tests.concurrency import in_threads
from tests.conftest import skip_unless
from tests.factories import ChallengeFactory, RegistrationFactory, UserFactory, submission_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 10


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless(connection.vendor == "postgresql", "row locks need PostgreSQL", service="postgres")


def test_concurrent_entries_are_all_counted(org, owner):
    challenge = ChallengeFactory(organization=org, state=S.OPEN)
    authors = [UserFactory() for _ in range(THREADS)]
    for author in authors:
        RegistrationFactory(challenge=challenge, user=author)

    results = in_threads(THREADS, lambda i: submission_for(challenge, authors[i]).pk)
    assert not [r for r in results if isinstance(r, Exception)], results

    arrivals = EntryArrivals.objects.get(challenge=challenge)
    first = Notification.objects.get(user=owner, kind=K.ENTRIES_RECEIVED)
    assert len(first.params["entries"]) == 1
    assert sorted(first.params["entries"] + arrivals.pending) == sorted(results)

    assert entry_notices_send(now=arrivals.last_sent_at + WINDOW) == 1
    counts = [
        len(n.params["entries"])
        for n in Notification.objects.filter(user=owner, kind=K.ENTRIES_RECEIVED)
    ]
    assert sorted(counts) == [1, THREADS - 1]
