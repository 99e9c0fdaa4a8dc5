"""Writes for people's own settings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def user_set_language(*, user, language: str) -> None:
    """Remember the language a person reads in; e-mails to them use it."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose English or Spanish.")]})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
