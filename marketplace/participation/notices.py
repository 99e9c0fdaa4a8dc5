"""The wording of the notifications this domain sends: a solver asked the Seeker a
question, the Seeker answered a solver's question."""

from django.utils.translation import gettext as _

from marketplace.notifications.kinds import Message, notice
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.wording import challenge_path, challenge_title


@notice(K.CLARIFICATION_ANSWERED)
def clarification_answered(notification: Notification) -> Message:
    words = {"title": challenge_title(notification)}
    return Message(
        _("Your question was answered: %(title)s") % words,
        _(
            "The Seeker answered your question about “%(title)s”. Every registered "
            "solver can read the answer."
        )
        % words,
        challenge_path(notification) + "#clarifications",
    )


@notice(K.QUESTION_ASKED)
def question_asked(notification: Notification) -> Message:
    """Told to the owners and managers of the challenge's organisation."""
    words = {"title": challenge_title(notification)}
    return Message(
        _("New question: %(title)s") % words,
        _(
            "A registered solver asked a question about “%(title)s”. Answer it on the "
            "challenge's page: every registered solver will read the answer."
        )
        % words,
        challenge_path(notification) + "#clarifications",
    )
