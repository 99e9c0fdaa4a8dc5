"""Background work: every task keeps the name queued messages and the beat schedule
use, wherever its code lives, and services queue tasks by name after commit."""

import pytest
from celery import current_app
from django.conf import settings

from marketplace.core.effects import task_queue, task_queue_after_commit

NAMES = {
    "marketplace.tasks.close_expired_challenges",
    "marketplace.tasks.send_event_emails",
    "marketplace.tasks.send_submission_receipt",
    "marketplace.tasks.send_notification_emails",
    "marketplace.tasks.pay_award",
    "marketplace.tasks.generate_certificate",
    "marketplace.tasks.forfeit_expired_awards",
    "marketplace.tasks.send_deadline_reminders",
    "marketplace.tasks.settle_released_awards",
    "marketplace.tasks.settle_challenge",
    "marketplace.tasks.build_personal_export",
    "marketplace.tasks.expire_personal_exports",
}


def test_the_tasks_are_registered_under_their_names():
    assert NAMES - set(current_app.tasks) == set()


def test_the_beat_schedule_names_registered_tasks():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in current_app.tasks


@pytest.fixture
def sent(monkeypatch):
    """What was queued to `send_event_emails` (instead of running it)."""
    calls = []
    task = current_app.tasks["marketplace.tasks.send_event_emails"]
    monkeypatch.setattr(task, "delay", lambda *args: calls.append(args))
    return calls


@pytest.mark.django_db
def test_a_task_is_queued_once_the_transaction_commits(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task_queue_after_commit("marketplace.tasks.send_event_emails", 7)
        assert sent == []
    assert sent == [(7,)]


def test_a_task_is_queued_now(sent):
    task_queue("marketplace.tasks.send_event_emails", 7)
    assert sent == [(7,)]


def test_an_unknown_task_fails_when_queued():
    with pytest.raises(KeyError):
        task_queue_after_commit("marketplace.tasks.no_such_task", 7)
