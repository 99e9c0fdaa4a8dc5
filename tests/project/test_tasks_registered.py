"""Every task a service queues by name is registered in any process that has set Django
up (a management command, say), not only in a worker or once the URLs are loaded."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

LIST_TASKS = """
import django
django.setup()
from celery import current_app
print("\\n".join(sorted(current_app.tasks)))
"""


def test_money_and_marketplace_tasks_are_registered_after_setup():
    result = subprocess.run(
        [sys.executable, "-c", LIST_TASKS],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": ""},
    )
    registered = set(result.stdout.split())
    assert {
        "payouts.tasks.execute_refund",
        "payouts.tasks.process_gateway_event",
        "marketplace.tasks.pay_award",
    } <= registered
