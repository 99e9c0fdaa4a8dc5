from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The core's domains, lowest first (the order of the import layers in pyproject.toml).
DOMAINS = (
    "core",
    "accounts",
    "organisations",
    "challenges",
    "escrow",
    "billing",
    "notifications",
    "participation",
    "teams",
    "submissions",
    "ideation",
    "judging",
    "awards",
    "lifecycle",
    "privacy",
    "staff",
)
# Modules a domain may hold that register something when imported: its Celery tasks
# and the wording of its notification kinds.
REGISTERING = ("tasks", "notices")


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        for domain in DOMAINS:
            for part in REGISTERING:
                module = f"{self.name}.{domain}.{part}"
                if find_spec(module) is not None:
                    import_module(module)
