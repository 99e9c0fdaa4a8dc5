"""Fifty people supporting one idea at once on PostgreSQL: fifty supports counted, none
lost, and the threshold crossed by the tenth fires exactly once."""

import pytest
from django.db import connection

from marketplace.ideation.models import Idea, Support
from marketplace.ideation.services import idea_support
from marketplace.notifications.models import Notification, NotificationKind
from tests.concurrency import in_threads
from tests.conftest import skip_unless
from tests.factories import idea_challenge, idea_for, verified_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 50


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless(connection.vendor == "postgresql", "row locks need PostgreSQL", service="postgres")


def test_fifty_concurrent_supporters_give_exactly_fifty(org, owner):
    challenge = idea_challenge(org, owner, support_threshold=10)
    idea = idea_for(challenge)
    fans = [verified_user() for _ in range(THREADS)]

    def work(i):
        return idea_support(submission_id=idea.pk, user=fans[i])

    results = in_threads(THREADS, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == list(range(1, THREADS + 1))
    row = Idea.objects.get(pk=idea.pk)
    assert row.supports == THREADS == Support.objects.filter(submission=idea).count()
    assert row.threshold_reached_at is not None
    fired = Notification.objects.filter(kind=NotificationKind.IDEA_THRESHOLD_REACHED)
    assert [n.user_id for n in fired] == [owner.pk]


def test_the_same_person_supporting_twice_at_once_counts_once(org, owner):
    challenge = idea_challenge(org, owner)
    idea = idea_for(challenge)
    fan = verified_user()

    results = in_threads(8, lambda i: idea_support(submission_id=idea.pk, user=fan))
    assert [r for r in results if not isinstance(r, Exception)] == [1]
    assert Idea.objects.get(pk=idea.pk).supports == 1
