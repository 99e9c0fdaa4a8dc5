"""Notifications: one in-app row per person and event, e-mailed after commit in the
reader's language. The row's unique key (kind, event, person) makes every
notification happen once, however often the event is reported. A row keeps its kind
and parameters, not its text: `notification_message` words it for whoever reads it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from marketplace.core.effects import task_queue_after_commit
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from payouts.currency import format_money


def notifications_send(
    *,
    kind: str,
    users: Iterable,
    key: str,
    challenge=None,
    award=None,
    params: dict | None = None,
) -> int:
    """Record `kind` for each of `users` (once per person for the event named by `key`)
    and queue their e-mails after commit. Returns how many were new."""
    people = list({user.pk: user for user in users}.values())
    keys = {user.pk: f"{kind}:{key}:{user.pk}"[:200] for user in people}
    known = set(Notification.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    created = []
    for user in people:
        if keys[user.pk] in known:
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    key=keys[user.pk],
                    user=user,
                    kind=kind,
                    challenge=challenge,
                    award=award,
                    params=params or {},
                )
        except IntegrityError:  # the same notification recorded concurrently
            continue
        created.append(notification.pk)
    if created:
        task_queue_after_commit("marketplace.tasks.send_notification_emails", created)
    return len(created)


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read: those with `ids`, or all. Ids of
    other people's notifications are ignored. Returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def notifications_for(user) -> QuerySet[Notification]:
    """The user's notifications, newest first, with what their wording needs."""
    return (
        Notification.objects.filter(user=user)
        .select_related("challenge__organization", "award")
        .prefetch_related("award__recipients")
    )


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    url: str  # a path on this site
    note: str = ""


def _when(value: datetime | str) -> str:
    """A moment in the active language's format, in the site's time zone."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _share(notification: Notification):
    """The reader's part of the notification's award, or None if it pays them nothing."""
    for recipient in notification.award.recipients.all():
        if recipient.user_id == notification.user_id:
            return recipient
    return None


def _reason(reason: str) -> str:
    # Reasons the system records are stored untranslated; people's own are kept as typed.
    return f"{_('Reason:')} {_(reason)}" if reason else ""


def notification_message(notification: Notification) -> Message:
    """What the notification says, in the active language, and where it leads."""
    n = notification
    challenge = n.challenge
    words = {"title": challenge.title if challenge else ""}
    challenge_url = reverse("challenge_detail", args=[challenge.pk]) if challenge else "/"
    award_url = reverse("solvers:award_detail", args=[n.award_id]) if n.award_id else "/"

    if n.kind == K.CHALLENGE_OPENED:
        words |= {
            "organization": challenge.organization.name,
            "prize": format_money(challenge.prize_pool, challenge.currency),
            "deadline": _when(challenge.submission_deadline),
        }
        return Message(
            _("New challenge from %(organization)s: %(title)s") % words,
            _(
                "%(organization)s has opened a new challenge, “%(title)s”, with a prize of "
                "%(prize)s. Submissions close on %(deadline)s (UTC)."
            )
            % words,
            challenge_url,
        )
    if n.kind == K.DEADLINE_SOON:
        words["deadline"] = _when(n.params["deadline"])
        return Message(
            _("48 hours left: %(title)s") % words,
            _(
                "The submission deadline of “%(title)s” is %(deadline)s (UTC). Submit or "
                "update your entry before then."
            )
            % words,
            challenge_url,
        )
    if n.kind == K.DEADLINE_EXTENDED:
        words["deadline"] = _when(n.params["deadline"])
        return Message(
            _("Deadline extended: %(title)s") % words,
            _("The submission deadline of “%(title)s” has been extended to %(deadline)s (UTC).")
            % words,
            challenge_url,
            _reason(n.params.get("reason", "")),
        )
    if n.kind == K.CLARIFICATION_ANSWERED:
        return Message(
            _("Your question was answered: %(title)s") % words,
            _(
                "The Seeker answered your question about “%(title)s”. Every registered "
                "solver can read the answer."
            )
            % words,
            challenge_url + "#clarifications",
        )
    if n.kind == K.CERTIFICATE_READY:
        return Message(
            _("Your certificate: %(title)s") % words,
            _(
                "Your recognition certificate for “%(title)s” is ready. Anyone can check it "
                "at its public page."
            )
            % words,
            reverse("certificate_verify", args=[n.params["certificate"]]),
        )
    return _award_message(n, words, award_url)


def _award_message(n: Notification, words: dict, award_url: str) -> Message:
    """The award kinds: won, deed ready, paid, forfeited."""
    award = n.award
    currency = n.challenge.currency
    share = _share(n)
    words |= {
        "amount": format_money(award.amount, currency),
        "share": format_money(share.amount if share else 0, currency),
        "deadline": _when(award.claim_deadline),
    }
    if n.kind == K.AWARD_WON:
        team = share is not None and share.amount != award.amount
        return Message(
            _("You won an award: %(title)s") % words,
            _(
                "Congratulations! Your entry in “%(title)s” won an award of %(amount)s. "
                "Accept it by %(deadline)s (UTC); an award not claimed by then is forfeited."
            )
            % words,
            award_url,
            _("Your share: %(share)s.") % words if team else "",
        )
    if n.kind == K.DEED_READY:
        return Message(
            _("Sign your deed: %(title)s") % words,
            _(
                "Your award in “%(title)s” is accepted and its IP deed is ready. Read it and "
                "sign it by %(deadline)s (UTC) to receive the prize."
            )
            % words,
            award_url,
        )
    if n.kind == K.AWARD_PAID:
        return Message(
            _("Prize paid: %(title)s") % words,
            _("Your prize for “%(title)s” has been paid out: %(share)s.") % words,
            award_url,
        )
    # Forfeited: told to the winners and to the challenge's owners.
    if share is None:
        return Message(
            _("Award forfeited: %(title)s") % words,
            _(
                "An award of %(amount)s in “%(title)s” was forfeited. Its prize money is held "
                "in escrow again: you may award another entry."
            )
            % words,
            reverse("seekers:challenge_manage", args=[n.challenge_id]),
            _reason(award.forfeit_reason),
        )
    return Message(
        _("Award forfeited: %(title)s") % words,
        _("Your award in “%(title)s” was forfeited.") % words,
        award_url,
        _reason(award.forfeit_reason),
    )
