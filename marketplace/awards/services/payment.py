"""Paying a released award: settling it once every payout succeeded (the payout hook),
the beat sweep over verified awards not yet paid, and staff sending a failed payout
again."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.permissions import is_staff
from marketplace.awards.certificates import certificates_issue
from marketplace.awards.models import Award, AwardState, award_id_of
from marketplace.awards.services.common import _lock, _log
from marketplace.awards.services.release import _advance
from marketplace.core.effects import task_queue, task_queue_after_commit
from marketplace.core.errors import NotAllowed
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send
from payouts.models import Payout, PayoutState
from payouts.selectors import payouts_for
from payouts.services.payouts import payout_retry


def award_settle_payment(*, award_id: int) -> Award:
    """After the payout task: once every payout of the award succeeded, mark it paid,
    issue the certificates and, after commit, see whether the challenge is done (only
    once the owner has finished choosing: finalising checks it too)."""
    with transaction.atomic(durable=True):
        award = _lock(award_id)
        if award.state != AwardState.VERIFIED or award.released_at is None:
            return award
        payouts = list(payouts_for(award.reference))
        if any(p.state != PayoutState.SUCCEEDED for p in payouts):
            return award
        award.pay()
        award.paid_at = timezone.now()
        award.save()
        _log(award, None, "award_paid")
        certificates = certificates_issue(award)  # one per recipient
        notifications_send(
            kind=NotificationKind.AWARD_PAID,
            users=[certificate.recipient for certificate in certificates],
            key=f"award:{award.pk}",
            challenge=award.challenge,
            award=award,
        )
        if award.challenge.awards_final_at is not None:
            # Before that, `awards_finalize` queues the check itself (under the same lock).
            task_queue_after_commit("marketplace.tasks.settle_challenge", award.challenge_id)
    return award


def award_payout_confirmed(*, reference: str) -> None:
    """Payout hook: a payout of `reference` went through; settle its award if that was
    the last one."""
    award_id = award_id_of(reference)
    if award_id is not None:
        award_settle_payment(award_id=award_id)


def awards_settle_released(*, now: datetime | None = None, stale_minutes: int = 10) -> int:
    """Beat task body for verified awards not yet paid and not in a dispute: release
    those still held (verified before a crash, or before release became automatic),
    settle those whose payouts have all succeeded meanwhile (a transfer confirmed only
    by the provider's webhook), and send again those still pending after
    `stale_minutes` (an answer that was lost). Returns how many awards it acted on."""
    now = now or timezone.now()
    awards = list(Award.objects.filter(state=AwardState.VERIFIED, frozen_at__isnull=True))
    states: dict[str, set[str]] = {award.reference: set() for award in awards}
    for reference, state in Payout.objects.filter(reference__in=states).values_list(
        "reference", "state"
    ):
        states[reference].add(state)
    acted = 0
    for award in awards:
        if award.released_at is None:
            award_release_held(award_id=award.pk)
            acted += 1
        elif states[award.reference] == {PayoutState.SUCCEEDED}:
            award_settle_payment(award_id=award.pk)
            acted += 1
        elif PayoutState.PENDING in states[
            award.reference
        ] and award.released_at <= now - timedelta(minutes=stale_minutes):
            task_queue("marketplace.tasks.pay_award", award.pk)
            acted += 1
    return acted


def award_release_held(*, award_id: int) -> Award:
    """Release a verified award that is still held (the system acts; a frozen or already
    released award is left alone)."""
    with transaction.atomic(durable=True):
        award = _lock(award_id)
        _advance(award, None)
    return award


def award_payout_retry(*, payout_id: int, actor) -> None:
    """Staff send a payout that finally failed once more."""
    if not is_staff(actor):
        raise NotAllowed(_("Only staff can retry a payout."))
    with transaction.atomic(durable=True):
        payout = payout_retry(payout_id=payout_id)
        award_id = award_id_of(payout.reference)
        task_queue_after_commit("marketplace.tasks.pay_award", award_id)
