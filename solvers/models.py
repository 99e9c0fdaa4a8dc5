"""Solvers' identity: their profile. Rules live in `services.py`."""

import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# CLDR (through Babel) also names regions that ISO 3166-1 does not assign: exceptionally
# reserved codes, groupings, pseudo-regions, Kosovo's user-assigned code and "unknown".
# Without them the list is the 249 officially assigned alpha-2 codes.
NOT_ISO_3166 = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)


@cache
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes."""
    return frozenset(
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isalpha() and code not in NOT_ISO_3166
    )


def _sort_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


@cache
def _choices_in(language: str) -> tuple[tuple[str, str], ...]:
    try:
        names = Locale.parse(language, sep="-").territories
    except (UnknownLocaleError, ValueError):
        names = Locale("en").territories
    return tuple(
        sorted(
            ((code, names.get(code, code)) for code in country_codes()),
            key=lambda choice: _sort_key(choice[1]),
        )
    )


def country_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) pairs, named and sorted in the active language."""
    return _choices_in(translation.get_language() or settings.LANGUAGE_CODE)


class SolverProfile(models.Model):
    """How a solver presents themselves. Private unless the solver makes it public."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="solver_profile"
    )
    display_name = models.CharField(_("display name"), max_length=100)
    country = models.CharField(_("country"), max_length=2, blank=True, choices=country_choices)
    expertise = models.JSONField(
        _("expertise"),
        default=list,
        blank=True,
        help_text=_("Up to 20 short tags, lower-case."),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    is_public = models.BooleanField(_("public profile"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("solver profile")
        verbose_name_plural = _("solver profiles")

    def __str__(self) -> str:
        return self.display_name
