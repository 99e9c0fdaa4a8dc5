"""A challenge's history as sentences in the reader's language, worded from each
event's stored name and details (the names stay as stored, for the API and exports)."""

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.challenges.models import Challenge, ChallengeEvent
from payouts.currency import format_money

# Every name an event is written with: the state transitions (`challenge_transition`,
# the deadline sweep) and the actions logged by `challenge_event_record`. The details
# each sentence uses: award, amount and fee (minor units), submission, threshold (of an
# idea's supports), judge (a user id), email (of an invitation to judge), for a deadline
# extension [old, new] ISO times and, for a bank transfer or its refund, bank_reference,
# refund and the ISO date received_on or sent_on.
EVENT_SENTENCES = {
    "submit": _("Submitted for review"),
    "return_to_draft": _("Returned to draft"),
    "approve": _("Approved"),
    "reject": _("Rejected"),
    "open": _("Opened: prize pool into escrow, platform fee of %(fee)s earned"),
    "close": _("Closed to new entries"),
    "close_early": _("Closed early, before the deadline of %(old)s"),
    "early_close_request": _("Asked staff to close early"),
    "early_close_refuse": _("Request to close early refused by staff"),
    "start_judging": _("Judging started"),
    "start_awarding": _("Awarding started"),
    "complete": _("Completed"),
    "declare_no_award": _("Ended with no award"),
    "cancel": _("Cancelled"),
    "extend_deadline": _("Submission deadline moved from %(old)s to %(new)s"),
    "judge_assign": _("%(judge)s assigned as a judge"),
    "judge_unassign": _("%(judge)s no longer a judge"),
    "judge_invite": _("%(email)s invited to judge from outside the organisation"),
    "judge_invitation_accept": _("%(judge)s accepted the invitation to judge sent to %(email)s"),
    "judge_invitation_revoke": _("Invitation to judge sent to %(email)s withdrawn"),
    "conflict_declare": _("%(judge)s declared a conflict of interest with entry #%(submission)s"),
    "awards_finalize": _("Finished choosing the winners"),
    "award_propose": _("Award #%(award)s of %(amount)s proposed for entry #%(submission)s"),
    "award_accept": _("Award #%(award)s accepted by the winner"),
    "deed_sign": _("A winner signed the deed of award #%(award)s"),
    "award_deed_signed": _("Every deed of award #%(award)s signed"),
    "award_verify": _("Winners of award #%(award)s verified"),
    "award_release": _("Prize of %(amount)s for award #%(award)s released to the winners"),
    "award_paid": _("Award #%(award)s paid out"),
    "award_freeze": _("Award #%(award)s frozen for a dispute"),
    "award_unfreeze": _("Award #%(award)s unfrozen"),
    "award_forfeit": _("Award #%(award)s withdrawn"),
    "idea_threshold_reached": _(
        "Idea #%(submission)s reached the support threshold of %(threshold)s"
    ),
    "idea_hidden": _("Idea #%(submission)s hidden by staff"),
    "comment_hidden": _("A comment on idea #%(submission)s hidden by staff"),
    "wire_transfer_record": _(
        "Bank transfer of %(amount)s received on %(day)s recorded (bank reference %(bank)s)"
    ),
    "wire_refund_sent": _(
        "Refund #%(refund)s of %(amount)s sent back by bank transfer on %(day)s "
        "(bank reference %(bank)s)"
    ),
}


def _when(value: str) -> str:
    moment = parse_datetime(value)
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else value


def _day(value: str) -> str:
    day = parse_date(value)
    return date_format(day, "DATE_FORMAT") if day else value


def event_sentence(event: ChallengeEvent, *, currency: str, users: dict) -> str:
    """What the event did, in the active language; an unknown name is shown as itself.
    `users` maps the user ids the details name to users."""
    sentence = EVENT_SENTENCES.get(event.name)
    if sentence is None:
        return event.name
    details = event.details
    old, new = details.get("submission_deadline") or ("", "")
    judge = details.get("judge")
    return str(sentence) % {
        "award": details.get("award", "?"),
        "amount": format_money(details.get("amount", 0), currency),
        "fee": format_money(details.get("fee", 0), currency),
        "submission": details.get("submission", "?"),
        "threshold": details.get("threshold", "?"),
        "judge": users.get(judge, judge),
        "email": details.get("email", "?"),
        "old": _when(old),
        "new": _when(new),
        "refund": details.get("refund", "?"),
        "bank": details.get("bank_reference", "?"),
        "day": _day(details.get("received_on") or details.get("sent_on") or ""),
    }


def challenge_history(challenge: Challenge) -> list[tuple[ChallengeEvent, str]]:
    """The challenge's events, oldest first, each with its sentence (two queries)."""
    events = list(challenge.events.select_related("actor"))
    judges = {event.details.get("judge") for event in events} - {None}
    users = {user.pk: user for user in User.objects.filter(pk__in=judges)}
    return [
        (event, event_sentence(event, currency=challenge.currency, users=users)) for event in events
    ]
