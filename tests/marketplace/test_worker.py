"""The deadline sweep through a real Celery worker and beat on Redis, against the
test database on PostgreSQL (SQLite's test database lives in memory, unshared)."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from marketplace.models import Challenge, ChallengeEvent
from marketplace.models import ChallengeState as S
from tests.conftest import skip_unless
from tests.factories import ChallengeFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker(tmp_path):
    skip_unless(bool(BROKER), "CELERY_TEST_BROKER_URL is not set", service="worker")
    skip_unless(
        connection.vendor == "postgresql",
        "a worker needs the PostgreSQL test database",
        service="postgres",
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "CLOSE_EXPIRED_EVERY_SECONDS": "1",
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
    }
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115 - closed after the worker stops
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "marketplace",
            "worker",
            "--beat",
            "--pool=solo",
            "--loglevel=INFO",
            "--schedule",
            str(tmp_path / "beat-schedule"),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.seek(0)
    print(log.read()[-4000:])
    log.close()


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


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
    client = Celery(broker=BROKER, backend=BROKER)
    results = [client.send_task("marketplace.tasks.close_expired_challenges") for _ in range(3)]
    closed = [r.get(timeout=60) for r in results]
    assert sum(closed) <= 1  # beat may have closed it first; nobody closes it twice
    assert wait_for(lambda: Challenge.objects.get(pk=challenge.pk).state == S.CLOSED)
    assert ChallengeEvent.objects.filter(challenge=challenge, name="close").count() == 1
