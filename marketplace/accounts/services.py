"""Writes for people's own settings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def user_set_full_name(*, user, full_name: str) -> None:
    """The person's full legal name: shown on certificates and typed to sign deeds."""
    full_name = " ".join((full_name or "").split())
    if len(full_name) > 150:
        raise ValidationError({"full_name": [_("Keep your name to 150 characters or fewer.")]})
    if user.full_name != full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])


def user_set_language(*, user, language: str) -> None:
    """Remember the language a person reads in; e-mails to them use it."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose English or Spanish.")]})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
