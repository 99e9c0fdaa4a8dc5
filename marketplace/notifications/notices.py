"""The wording of the notification this domain sends: a followed organisation opened a
challenge."""

from django.utils.translation import gettext as _

from marketplace.notifications.kinds import Message, notice
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.wording import challenge_path, moment
from payouts.currency import format_money


@notice(K.CHALLENGE_OPENED)
def challenge_opened(notification: Notification) -> Message:
    challenge = notification.challenge
    words = {
        "title": challenge.title,
        "organization": challenge.organization.name,
        "prize": format_money(challenge.prize_pool, challenge.currency),
        "deadline": moment(challenge.submission_deadline),
    }
    return Message(
        _("New challenge from %(organization)s: %(title)s") % words,
        _(
            "%(organization)s has opened a new challenge, “%(title)s”, with a prize of "
            "%(prize)s. Submissions close on %(deadline)s (UTC)."
        )
        % words,
        challenge_path(notification),
    )
