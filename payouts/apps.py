from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayoutsConfig(AppConfig):
    name = "payouts"
    verbose_name = _("Payouts")

    def ready(self) -> None:
        # The tasks services queue by name (after commit) must be registered everywhere.
        import_module(f"{self.name}.tasks")
