from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayoutsConfig(AppConfig):
    name = "payouts"
    verbose_name = _("Payouts")

    def ready(self) -> None:
        # Register the money tasks in every process, so a service run from a
        # management command can queue them by name (Celery's autodiscovery imports
        # them only when a worker starts).
        import_module(f"{self.name}.tasks")
        import_module(f"{self.name}.checks")
