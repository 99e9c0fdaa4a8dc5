"""The wording of the notifications this domain sends: an award won, its deed ready,
its prize paid, the award forfeited, a certificate ready, a finished challenge's results;
to the Seeker, an award accepted or declined by its winner (never named: the challenge
may be judged blind); to staff, a payout that failed."""

from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace.notifications.kinds import Message, notice
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.wording import challenge_title, moment, reason_note
from payouts.currency import format_money


def _share(notification: Notification):
    """The reader's part of the notification's award, or None if it pays them nothing."""
    for recipient in notification.award.recipients.all():
        if recipient.user_id == notification.user_id:
            return recipient
    return None


def _award_words(notification: Notification, share) -> dict:
    award = notification.award
    currency = notification.challenge.currency
    return {
        "title": challenge_title(notification),
        "amount": format_money(award.amount, currency),
        "share": format_money(share.amount if share else 0, currency),
        "deadline": moment(award.claim_deadline),
    }


def _award_path(notification: Notification) -> str:
    return reverse("solvers:award_detail", args=[notification.award_id])


@notice(K.AWARD_WON)
def award_won(notification: Notification) -> Message:
    share = _share(notification)
    words = _award_words(notification, share)
    team = share is not None and share.amount != notification.award.amount
    return Message(
        _("You won an award: %(title)s") % words,
        _(
            "Congratulations! Your entry in “%(title)s” won an award of %(amount)s. "
            "Accept it by %(deadline)s (UTC); an award not claimed by then is forfeited."
        )
        % words,
        _award_path(notification),
        _("Your share: %(share)s.") % words if team else "",
    )


@notice(K.DEED_READY)
def deed_ready(notification: Notification) -> Message:
    words = _award_words(notification, _share(notification))
    return Message(
        _("Sign your deed: %(title)s") % words,
        _(
            "Your award in “%(title)s” is accepted and its IP deed is ready. Read it and "
            "sign it by %(deadline)s (UTC) to receive the prize."
        )
        % words,
        _award_path(notification),
    )


@notice(K.AWARD_PAID)
def award_paid(notification: Notification) -> Message:
    words = _award_words(notification, _share(notification))
    return Message(
        _("Prize paid: %(title)s") % words,
        _("Your prize for “%(title)s” has been paid out: %(share)s.") % words,
        _award_path(notification),
    )


@notice(K.AWARD_FORFEITED)
def award_forfeited(notification: Notification) -> Message:
    """Told to the winners and to the challenge's owners (who are paid no share)."""
    share = _share(notification)
    words = _award_words(notification, share)
    reason = reason_note(notification.award.forfeit_reason)
    if share is None:
        return Message(
            _("Award forfeited: %(title)s") % words,
            _(
                "An award of %(amount)s in “%(title)s” was forfeited. Its prize money is held "
                "in escrow again: you may award another entry."
            )
            % words,
            reverse("seekers:challenge_manage", args=[notification.challenge_id]),
            reason,
        )
    return Message(
        _("Award forfeited: %(title)s") % words,
        _("Your award in “%(title)s” was forfeited.") % words,
        _award_path(notification),
        reason,
    )


@notice(K.CERTIFICATE_READY)
def certificate_ready(notification: Notification) -> Message:
    words = {"title": challenge_title(notification)}
    return Message(
        _("Your certificate: %(title)s") % words,
        _(
            "Your recognition certificate for “%(title)s” is ready. Anyone can check it "
            "at its public page."
        )
        % words,
        reverse("certificate_verify", args=[notification.params["certificate"]]),
    )


@notice(K.RESULTS_PUBLISHED)
def results_published(notification: Notification) -> Message:
    words = {"title": challenge_title(notification)}
    if notification.params.get("state") == "no_award":
        text = _("“%(title)s” ended without an award. Thank you for your entry.")
    elif notification.params.get("won"):
        text = _(
            "The results of “%(title)s” are out, and your entry is among the winners. "
            "The results page names you unless you choose to stay anonymous."
        )
    else:
        text = _(
            "The results of “%(title)s” are out. Your entry was not among the winners; "
            "thank you for taking part."
        )
    return Message(
        _("Results: %(title)s") % words,
        text % words,
        reverse("challenge_results", args=[notification.challenge_id]),
    )


def _seeker_words(notification: Notification) -> dict:
    return {
        "title": challenge_title(notification),
        "amount": format_money(notification.award.amount, notification.challenge.currency),
    }


@notice(K.AWARD_ACCEPTED)
def award_accepted(notification: Notification) -> Message:
    """Told to the owners and managers of the challenge's organisation."""
    words = _seeker_words(notification)
    return Message(
        _("Award accepted: %(title)s") % words,
        _("The winner of the award of %(amount)s in “%(title)s” accepted it.") % words,
        reverse("seekers:challenge_manage", args=[notification.challenge_id]),
    )


@notice(K.AWARD_DECLINED)
def award_declined(notification: Notification) -> Message:
    """Told to the owners and managers of the challenge's organisation."""
    words = _seeker_words(notification)
    return Message(
        _("Award declined: %(title)s") % words,
        _(
            "The winner of the award of %(amount)s in “%(title)s” declined it. Its prize "
            "money is held in escrow again: you may award another entry."
        )
        % words,
        reverse("seekers:challenge_manage", args=[notification.challenge_id]),
        reason_note(notification.award.forfeit_reason),
    )


@notice(K.PAYOUT_FAILED)
def payout_failed(notification: Notification) -> Message:
    """Told to staff: a payout that failed for good, or a paid one the provider took
    back (`reversed` in its parameters)."""
    params = notification.params
    words = {
        "title": challenge_title(notification),
        "payout": params["payout"],
        "amount": format_money(params["amount"], params["currency"]),
    }
    if params.get("reversed"):
        return Message(
            _("Payout reversed: %(title)s") % words,
            _(
                "Payout %(payout)s of %(amount)s for an award in “%(title)s” was paid, then "
                "taken back by the payment provider. The money is owed to the payee again, "
                "in their payable balance: check with the payee and the provider."
            )
            % words,
            reverse("staff_payouts"),
            _("Provider's reason: %(message)s") % params if params["message"] else "",
        )
    return Message(
        _("Payout failed: %(title)s") % words,
        _(
            "Payout %(payout)s of %(amount)s for an award in “%(title)s” failed. Check the "
            "payee's account, then retry it."
        )
        % words,
        reverse("staff_payouts"),
        _("Gateway message: %(message)s") % params if params["message"] else "",
    )
