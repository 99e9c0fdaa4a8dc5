"""Values every page template can use."""

from functools import cache

from marketplace.notifications.services import unread_count


def unread_notifications(request) -> dict:
    """How many unread notifications the signed-in reader has. The template calls it:
    one COUNT, run only if the page shows it, and only once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": cache(lambda: unread_count(user))}
