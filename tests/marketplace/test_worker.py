"""The deadline sweep through a real Celery worker and beat on Redis, against the
test database on PostgreSQL (SQLite's test database lives in memory, unshared)."""

from datetime import timedelta

import pytest
from celery import Celery
from django.utils import timezone

from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.challenges.models import ChallengeState as S
from tests.factories import ChallengeFactory
from tests.worker import BROKER, running_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    with running_worker(tmp_path, beat=True, env={"CLOSE_EXPIRED_EVERY_SECONDS": "1"}) as running:
        yield running


def test_beat_closes_expired_challenges_through_the_worker(worker):
    expired = ChallengeFactory.create_batch(3, state=S.OPEN)
    Challenge.objects.filter(pk__in=[c.pk for c in expired]).update(
        submission_deadline=timezone.now() - timedelta(minutes=1)
    )
    running = ChallengeFactory(state=S.OPEN)

    assert wait_for(lambda: Challenge.objects.filter(state=S.CLOSED).count() == 3)
    assert Challenge.objects.get(pk=running.pk).state == S.OPEN
    assert ChallengeEvent.objects.filter(name="close", actor=None).count() == 3


def test_sweep_task_sent_to_worker_is_idempotent(worker):
    challenge = ChallengeFactory(state=S.OPEN)
    Challenge.objects.filter(pk=challenge.pk).update(
        submission_deadline=timezone.now() - timedelta(minutes=1)
    )
    client = Celery(broker=BROKER, backend=BROKER, set_as_current=False)
    results = [client.send_task("marketplace.tasks.close_expired_challenges") for _ in range(3)]
    closed = [r.get(timeout=60) for r in results]
    assert sum(closed) <= 1  # beat may have closed it first; nobody closes it twice
    assert wait_for(lambda: Challenge.objects.get(pk=challenge.pk).state == S.CLOSED)
    assert ChallengeEvent.objects.filter(challenge=challenge, name="close").count() == 1
