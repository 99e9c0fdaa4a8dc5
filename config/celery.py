import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each installed app's `tasks` module (payouts.tasks). The marketplace's domains keep
# theirs in marketplace/<domain>/tasks.py, imported by MarketplaceConfig.ready(), which
# runs in the worker too.
app.autodiscover_tasks()
