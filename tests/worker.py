"""A real Celery worker in a subprocess, against the PostgreSQL test database (SQLite's
test database lives in memory, unshared) and the Redis broker named by
CELERY_TEST_BROKER_URL, and a way for the test process to send it tasks."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db import connection

from tests.conftest import skip_unless

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def require_worker_services() -> None:
    skip_unless(bool(BROKER), "CELERY_TEST_BROKER_URL is not set", service="worker")
    skip_unless(
        connection.vendor == "postgresql",
        "a worker needs the PostgreSQL test database",
        service="postgres",
    )


class Worker:
    """`celery worker` (with `beat`, embedded, if asked) in its own process group, so
    that a kill takes the embedded beat with it. Files go to the test's media folder."""

    def __init__(self, tmp_path: Path, *, beat: bool = False, env: dict | None = None):
        self.tmp_path = tmp_path
        self.beat = beat
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": BROKER,
            "CELERY_RESULT_BACKEND": BROKER,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "MEDIA_ROOT": str(tmp_path / "media"),
            **(env or {}),
        }
        self.log = open(tmp_path / "worker.log", "a+")  # noqa: SIM115 - closed in stop()
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Worker":
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
        command += ["--queues", "celery,certificates,mail"]  # money, certificates, e-mail
        command += ["--loglevel=INFO", "--hostname", f"story-{time.monotonic_ns()}@%h"]
        if self.beat:
            command += ["--beat", "--schedule", str(self.tmp_path / "beat-schedule")]
        self.proc = subprocess.Popen(
            command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def kill(self) -> None:
        """SIGKILL, as a crash or an out-of-memory kill would: nothing is acknowledged."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        self.log.flush()
        return (self.tmp_path / "worker.log").read_text()


@contextmanager
def running_worker(tmp_path: Path, *, beat: bool = False, env: dict | None = None):
    """Start a worker on an emptied broker database (no task left by an earlier test);
    stop it afterwards and print the end of its log."""
    require_worker_services()
    redis.Redis.from_url(BROKER).flushdb()
    worker = Worker(tmp_path, beat=beat, env=env).start()
    try:
        yield worker
    finally:
        worker.stop()
        print(worker.output()[-6000:])
        worker.log.close()


@contextmanager
def tasks_to_broker():
    """Tasks queued by this process go to the broker (for the worker) instead of
    running eagerly in it. The app's connection and producer pools were made for the
    in-memory broker by earlier eager runs, so they are set aside meanwhile."""
    from config.celery import app

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(app.conf, "task_always_eager", False)
        patch.setitem(app.conf, "broker_url", BROKER)
        patch.setattr(app, "_pool", None)
        patch.setattr(app.amqp, "_producer_pool", None)
        yield


def wait_for(predicate, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False
