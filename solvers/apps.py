from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SolversConfig(AppConfig):
    name = "solvers"
    verbose_name = _("Solvers")
