"""The wording of the notification this domain sends: an idea reached the challenge's
support threshold (told to the challenge's owners)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace.notifications.kinds import Message, notice
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.wording import challenge_title


@notice(K.IDEA_THRESHOLD_REACHED)
def idea_threshold_reached(notification: Notification) -> Message:
    words = {
        "title": challenge_title(notification),
        "threshold": notification.params["threshold"],
    }
    return Message(
        _("An idea reached %(threshold)s supporters: %(title)s") % words,
        _(
            "An idea in “%(title)s” reached its support threshold of %(threshold)s and is "
            "marked for your review. Read it, give feedback, shortlist or award it."
        )
        % words,
        reverse("idea_detail", args=[notification.params["submission"]]),
    )
