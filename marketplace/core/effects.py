"""Follow-up work queued by task name. A service names the Celery task it wants run and
never imports a tasks module: each domain's `tasks.py` imports its services, not the
reverse. `.delay` keeps the app's eager mode (no broker: the task runs in this
process, as `make run` and the tests do)."""

from celery import current_app
from django.db import transaction


def task_queue(name: str, *args) -> None:
    """Queue task `name` with `args` now."""
    current_app.tasks[name].delay(*args)


def task_queue_after_commit(name: str, *args) -> None:
    """Queue task `name` with `args` once the current transaction commits (at once
    outside one). An unknown name fails here, inside the caller's transaction."""
    task = current_app.tasks[name]
    transaction.on_commit(lambda: task.delay(*args))
