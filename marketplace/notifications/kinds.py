"""The registry of notification kinds and their wording. The domain that sends a kind
words it in its own `notices` module with `@notice(kind)`; the app imports every
domain's `notices` when Django starts. A stored notification is worded when it is read,
in the active language, by `notification_message`."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from marketplace.notifications.models import Notification


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    url: str  # a path on this site
    note: str = ""


Wording = Callable[[Notification], Message]

_wordings: dict[str, Wording] = {}


def notice(kind: str) -> Callable[[Wording], Wording]:
    """Register the decorated function as the wording of `kind`; a kind has one."""
    kind = str(kind)  # a NotificationKind member is keyed by its stored value

    def register(wording: Wording) -> Wording:
        if kind in _wordings:
            raise ImproperlyConfigured(f"The notification kind {kind!r} is worded twice.")
        _wordings[kind] = wording
        return wording

    return register


def worded_kinds() -> frozenset[str]:
    return frozenset(_wordings)


def notification_message(notification: Notification) -> Message:
    """What the notification says, in the active language, and where it leads."""
    try:
        wording = _wordings[notification.kind]
    except KeyError:
        raise LookupError(
            f"No wording is registered for the notification kind {notification.kind!r}."
        ) from None
    return wording(notification)
