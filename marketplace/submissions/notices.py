"""The wording of the notifications this domain sends: the owner side reviewed an entry
(a new status, reason or note); new entries arrived (told to the owner side, naming
the solvers unless the challenge is judged blind)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.notifications.kinds import Message, notice
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.wording import challenge_title
from marketplace.submissions.models import ReviewStatus, Submission


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


def _solvers(ids: list[int]) -> str:
    entries = Submission.objects.filter(pk__in=ids).select_related("author", "team")
    return ", ".join(sorted({e.team.name if e.team else e.author.get_full_name() for e in entries}))


@notice(K.ENTRIES_RECEIVED)
def entries_received(notification: Notification) -> Message:
    """Told to the owners and managers of the challenge's organisation."""
    ids = notification.params["entries"]
    words = {"title": challenge_title(notification), "count": len(ids)}
    named = not notification.challenge.blind_judging
    return Message(
        ngettext("%(count)s new entry on %(title)s", "%(count)s new entries on %(title)s", len(ids))
        % words,
        ngettext(
            "“%(title)s” received %(count)s new entry.",
            "“%(title)s” received %(count)s new entries.",
            len(ids),
        )
        % words,
        reverse("seekers:submissions", args=[notification.challenge_id]),
        _("From: %(solvers)s") % {"solvers": _solvers(ids)} if named else "",
    )
