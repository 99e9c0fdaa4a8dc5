"""The wording of the notifications this domain sends: a deadline near, a deadline
extended, a challenge closed early, a request to close early refused, a challenge
submitted for staff review, submissions closed at the deadline (told to the Seeker)."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.notifications.kinds import Message, notice
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.wording import challenge_path, challenge_title, moment, reason_note


def time_left(left: timedelta) -> str:
    """`left` to the nearest hour, or to the nearest minute when under an hour."""
    minutes = max(round(left.total_seconds() / 60), 0)
    if minutes < 60:
        return ngettext("about %(count)d minute", "about %(count)d minutes", minutes) % {
            "count": minutes
        }
    hours = round(minutes / 60)
    return ngettext("about %(count)d hour", "about %(count)d hours", hours) % {"count": hours}


@notice(K.DEADLINE_SOON)
def deadline_soon(notification: Notification) -> Message:
    deadline = datetime.fromisoformat(notification.params["deadline"])
    # Reminders recorded before the moment of sending was kept were sent on creation.
    sent = notification.params.get("sent")
    since = datetime.fromisoformat(sent) if sent else notification.created_at
    words = {
        "title": challenge_title(notification),
        "deadline": moment(deadline),
        "left": time_left(deadline - since),
    }
    return Message(
        _("Deadline in %(left)s: %(title)s") % words,
        _(
            "The submission deadline of “%(title)s” is in %(left)s, at %(deadline)s (UTC). "
            "Submit or update your entry before then."
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


@notice(K.CLOSED_EARLY)
def closed_early(notification: Notification) -> Message:
    words = {
        "title": challenge_title(notification),
        "when": moment(notification.params["closed_at"]),
    }
    return Message(
        _("Closed early: %(title)s") % words,
        _(
            "“%(title)s” was closed early, on %(when)s (UTC), before its submission "
            "deadline. No more entries or registrations are accepted; the entries already "
            "submitted go on to judging."
        )
        % words,
        challenge_path(notification),
        reason_note(notification.params.get("reason", "")),
    )


@notice(K.EARLY_CLOSE_REFUSED)
def early_close_refused(notification: Notification) -> Message:
    words = {"title": challenge_title(notification)}
    return Message(
        _("Early close refused: %(title)s") % words,
        _(
            "Staff refused your request to close “%(title)s” early. The challenge stays "
            "open until its submission deadline."
        )
        % words,
        challenge_path(notification),
        reason_note(notification.params.get("note", "")),
    )


@notice(K.REVIEW_REQUESTED)
def review_requested(notification: Notification) -> Message:
    """Told to staff."""
    words = {"title": challenge_title(notification)}
    return Message(
        _("Submitted for review: %(title)s") % words,
        _(
            "“%(title)s” was submitted for review. Check its text and terms, then approve it or send it back."
        )
        % words,
        reverse("staff_review_queue"),
    )


@notice(K.SUBMISSIONS_CLOSED)
def submissions_closed(notification: Notification) -> Message:
    """Told to the owners and managers of the challenge's organisation."""
    count = notification.params["entries"]
    words = {"title": challenge_title(notification), "count": count}
    return Message(
        ngettext(
            "Submissions closed on %(title)s: %(count)s entry",
            "Submissions closed on %(title)s: %(count)s entries",
            count,
        )
        % words,
        ngettext(
            "The submission deadline of “%(title)s” has passed with %(count)s entry. "
            "Judging can begin.",
            "The submission deadline of “%(title)s” has passed with %(count)s entries. "
            "Judging can begin.",
            count,
        )
        % words,
        reverse("seekers:submissions", args=[notification.challenge_id]),
    )
