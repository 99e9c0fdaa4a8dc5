"""Pieces the kinds' wordings share: the challenge's title and page, a moment in the
reader's format, a recorded reason."""

from datetime import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from marketplace.notifications.models import Notification


def challenge_title(notification: Notification) -> str:
    return notification.challenge.title if notification.challenge else ""


def challenge_path(notification: Notification) -> str:
    if notification.challenge:
        return reverse("challenge_detail", args=[notification.challenge_id])
    return "/"


def moment(value: datetime | str) -> str:
    """A moment in the active language's format, in the site's time zone."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def reason_note(reason: str) -> str:
    # Reasons the system records are stored untranslated; people's own are kept as typed.
    return f"{_('Reason:')} {_(reason)}" if reason else ""
