"""The wording of the notifications this domain sends: a deadline near, a deadline
extended."""

from django.utils.translation import gettext as _

from marketplace.notifications.kinds import Message, notice
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.wording import challenge_path, challenge_title, moment, reason_note


@notice(K.DEADLINE_SOON)
def deadline_soon(notification: Notification) -> Message:
    words = {
        "title": challenge_title(notification),
        "deadline": moment(notification.params["deadline"]),
    }
    return Message(
        _("48 hours left: %(title)s") % words,
        _(
            "The submission deadline of “%(title)s” is %(deadline)s (UTC). Submit or "
            "update your entry before then."
        )
        % words,
        challenge_path(notification),
    )


@notice(K.DEADLINE_EXTENDED)
def deadline_extended(notification: Notification) -> Message:
    words = {
        "title": challenge_title(notification),
        "deadline": moment(notification.params["deadline"]),
    }
    return Message(
        _("Deadline extended: %(title)s") % words,
        _("The submission deadline of “%(title)s” has been extended to %(deadline)s (UTC).")
        % words,
        challenge_path(notification),
        reason_note(notification.params.get("reason", "")),
    )
