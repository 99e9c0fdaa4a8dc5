"""The wording of the notification this domain sends: the owner side reviewed an entry
(a new status, reason or note)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace.notifications.kinds import Message, notice
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.wording import challenge_title
from marketplace.submissions.models import ReviewStatus


@notice(K.ENTRY_REVIEWED)
def entry_reviewed(notification: Notification) -> Message:
    words = {
        "title": challenge_title(notification),
        "status": ReviewStatus(notification.params["status"]).label,
    }
    return Message(
        _("Your entry was reviewed: %(title)s") % words,
        _(
            "Your entry to “%(title)s” is now: %(status)s. Open it to read the Seeker's "
            "note, if they left one."
        )
        % words,
        reverse("solvers:submission_detail", args=[notification.params["submission"]]),
    )
