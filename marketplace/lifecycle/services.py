"""The one entry point for every change of a challenge's state, plus the two
lifecycle actions that are not state changes (deadline extension) or that act on many
challenges at once (the deadline sweep)."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from legal.documents import deeds_void
from marketplace.accounts.models import User
from marketplace.accounts.permissions import is_staff
from marketplace.awards.models import AwardState
from marketplace.awards.services.results import results_announce
from marketplace.challenges import conditions as rules
from marketplace.challenges.events import challenge_event_record
from marketplace.challenges.models import Challenge, ChallengeEvent, ChallengeState
from marketplace.challenges.permissions import is_editor
from marketplace.challenges.states import DEADLINE_EXTENDABLE, ENDED
from marketplace.challenges.transitions import require_transition, transition_meta
from marketplace.core.effects import task_queue_after_commit
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.escrow.services import escrow_fill, escrow_refund
from marketplace.lifecycle.closing import (
    early_close_apply,
    submissions_closed_notify,
    teams_freeze,
)
from marketplace.notifications.follows import followers_notify
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send
from payouts.services.ledger import LedgerError

# Stored untranslated (the log is shared by readers of every language) and translated
# when shown.
SWEEP_REASON = gettext_noop("Submission deadline passed.")
# The longest reason a transition may record (an early close asks for less).
REASON_MAX = 5000


def challenge_transition(*, challenge_id: int, name: str, actor, reason: str = "") -> Challenge:
    """Apply transition `name`: lock the row, check state, role and conditions, save,
    log who/when/from/to/why, and queue the e-mails after commit. `actor` None is the
    system."""
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        transition_apply(challenge=challenge, name=name, actor=actor, reason=reason)
    return challenge


def transition_apply(
    *, challenge: Challenge, name: str, actor, reason: str = "", details: dict | None = None
) -> ChallengeEvent:
    """`challenge_transition`'s work on a row the caller has locked, in the caller's
    transaction (for a service that changes something else with it). `details` are added
    to the event's."""
    reason = (reason or "").strip()
    require_transition(challenge, name, actor)
    custom = transition_meta(challenge, name).custom
    if custom.get("reason") and not reason:
        raise ValidationError({"reason": [_("Give a reason for this action.")]})
    limit = custom.get("reason_max", REASON_MAX)
    if len(reason) > limit:
        raise ValidationError(
            {"reason": [_("Keep the reason to %(n)s characters or fewer.") % {"n": limit}]}
        )
    from_state = challenge.state
    getattr(challenge, name)()
    recorded = _apply_money_effects(challenge, actor, reason)
    if challenge.state == ChallengeState.OPEN and challenge.published_at is None:
        challenge.published_at = timezone.now()
        followers_notify(challenge=challenge)
    if name == "close_early":
        recorded |= early_close_apply(challenge, reason)
    elif challenge.state == ChallengeState.CLOSED:
        teams_freeze(challenge, timezone.now())
        submissions_closed_notify(
            [(challenge.pk, challenge.organization_id, challenge.submission_deadline)]
        )
    challenge.save()
    results_announce(challenge)
    event = ChallengeEvent.objects.create(
        challenge=challenge,
        actor=actor,
        name=name,
        from_state=from_state,
        to_state=challenge.state,
        reason=reason,
        details={**recorded, **(details or {})},
    )
    if challenge.state == ChallengeState.IN_REVIEW:
        notifications_send(
            kind=NotificationKind.REVIEW_REQUESTED,
            users=User.objects.filter(is_staff=True, is_active=True),
            key=f"event:{event.pk}",
            challenge=challenge,
        )
    task_queue_after_commit("marketplace.tasks.send_event_emails", event.pk)
    return event


def _apply_money_effects(challenge: Challenge, actor, reason: str) -> dict:
    """Opening fills escrow; ending without (further) payouts refunds what is held.
    Runs inside the transition's transaction, so state and ledger change together.
    Returns what the history row records of it (the opening's fee and its schedule)."""
    if challenge.state == ChallengeState.OPEN:
        try:
            return escrow_fill(challenge, actor)
        except LedgerError as exc:
            raise IllegalTransition(
                str(exc), state=challenge.state, code="condition_failed"
            ) from exc
    if challenge.state == ChallengeState.NO_AWARD:
        _forfeit_open_awards(challenge, reason)
    if challenge.state in ENDED:
        escrow_refund(challenge, reason=reason or challenge.get_state_display())
    return {}


def _forfeit_open_awards(challenge: Challenge, reason: str) -> None:
    """Ending with no award withdraws the awards chosen and not yet signed (the
    transition's condition guarantees no deed-signed award is left, its actor rule that
    only staff withdraw an accepted one). A team member's deed signed before the rest of
    the team is marked void. Their winners are told."""
    withdrawn = list(
        challenge.awards.exclude(state=AwardState.FORFEITED).prefetch_related("recipients__user")
    )
    challenge.awards.filter(pk__in=[a.pk for a in withdrawn]).update(
        state=AwardState.FORFEITED, forfeited_at=timezone.now(), forfeit_reason=reason[:500]
    )
    for award in withdrawn:
        deeds_void(reference=award.reference, reason=reason)
        notifications_send(
            kind=NotificationKind.AWARD_FORFEITED,
            users=[r.user for r in award.recipients.all()],
            key=f"award:{award.pk}",
            challenge=challenge,
            award=award,
        )


def challenge_settle(*, challenge_id: int) -> bool:
    """Complete the challenge (refunding what is left) if its awards are all settled:
    the owner has finished choosing and every award is paid or forfeited."""
    challenge = Challenge.objects.get(pk=challenge_id)
    if challenge.state != ChallengeState.AWARDING or not rules.awards_settled(challenge):
        return False
    try:
        challenge_transition(challenge_id=challenge_id, name="complete", actor=None)
    except IllegalTransition:  # settled concurrently by another worker
        return False
    return True


def challenge_extend_deadline(
    *,
    challenge_id: int,
    actor,
    new_deadline: datetime,
    reason: str = "",
    new_judging_deadline: datetime | None = None,
) -> Challenge:
    """Move the submission deadline later (never earlier) while the challenge is awaiting
    funding or open. The judging deadline moves by the same amount unless one is given.
    Every registered solver is notified (in the app and by e-mail)."""
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        if not (is_editor(actor, challenge) or is_staff(actor)):
            raise NotAllowed(_("You do not have the role needed for this action."))
        if challenge.state not in DEADLINE_EXTENDABLE:
            raise IllegalTransition(
                _(
                    "The deadline can only be extended while the challenge is awaiting funding or open."
                ),
                state=challenge.state,
            )
        old = challenge.submission_deadline
        if new_deadline is None or new_deadline <= old:
            raise ValidationError(
                {
                    "submission_deadline": [
                        _(
                            "A deadline can only be extended: choose a time after the current deadline."
                        )
                    ]
                }
            )
        judging = new_judging_deadline or challenge.judging_deadline + (new_deadline - old)
        if judging <= new_deadline:
            raise ValidationError(
                {
                    "judging_deadline": [
                        _("The judging deadline must come after the submission deadline.")
                    ]
                }
            )
        old_judging = challenge.judging_deadline
        challenge.submission_deadline = new_deadline
        challenge.judging_deadline = judging
        challenge.save(update_fields=["submission_deadline", "judging_deadline", "updated_at"])
        challenge_event_record(
            challenge=challenge,
            actor=actor,
            name="extend_deadline",
            reason=reason.strip(),
            details={
                "submission_deadline": [old.isoformat(), new_deadline.isoformat()],
                "judging_deadline": [old_judging.isoformat(), judging.isoformat()],
            },
        )
        notifications_send(
            kind=NotificationKind.DEADLINE_EXTENDED,
            users=User.objects.filter(registrations__challenge=challenge),
            key=f"challenge:{challenge.pk}:{int(new_deadline.timestamp())}",
            challenge=challenge,
            params={"deadline": new_deadline.isoformat(), "reason": reason.strip()},
        )
    return challenge


# Teams (in `solvers`) reached through the challenge's relation: their split freezes here.
TEAMS = Challenge._meta.get_field("teams").related_model


def challenges_close_expired(*, now: datetime | None = None, batch_size: int | None = None) -> int:
    """Close every open challenge whose submission deadline has passed; return how many.

    This is the `close` transition applied in bulk: each batch is one transaction that
    locks up to `batch_size` due rows (skipping rows another sweep holds), flips them
    with one UPDATE, freezes their teams' shares with another, writes their log rows
    with one INSERT and tells their owners and managers with a few more (one INSERT of
    the notifications, their e-mails queued after commit), so the number of
    queries grows with the number of batches, not of challenges. Running it twice, or
    in two workers at once, closes each challenge exactly once.
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.MARKETPLACE["CLOSE_BATCH_SIZE"]
    closed = 0
    while True:
        with transaction.atomic(durable=True):
            due = list(
                Challenge.objects.filter(state=ChallengeState.OPEN, submission_deadline__lte=now)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", "organization_id", "submission_deadline")[:batch_size]
            )
            if not due:
                return closed
            ids = [pk for pk, _org, _deadline in due]
            Challenge.objects.filter(pk__in=ids).update(state=ChallengeState.CLOSED, updated_at=now)
            TEAMS.objects.filter(challenge_id__in=ids, shares_frozen_at__isnull=True).update(
                shares_frozen_at=now
            )
            ChallengeEvent.objects.bulk_create(
                ChallengeEvent(
                    challenge_id=pk,
                    actor=None,
                    name="close",
                    from_state=ChallengeState.OPEN,
                    to_state=ChallengeState.CLOSED,
                    reason=SWEEP_REASON,
                )
                for pk in ids
            )
            submissions_closed_notify(due)
        closed += len(ids)
