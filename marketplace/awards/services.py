"""Awards, from the owner's choice to the payout. Each function is one action: one
outermost transaction, rows locked (challenge before award), an audit row in the
challenge's log, and side effects (payout task, e-mails) queued after commit.

    propose -> accept -> sign the deed -> verified (tax form + payout details), which
    releases the prize at once (escrow -> payable, payout task) -> paid (-> certificate)

The escrow promise: before the deed is signed an award can lapse (its claim deadline
passes, the winner declines, or staff withdraw it with a reason; before acceptance the
owner may also end the challenge with no award). Once the deed is signed the prize is
the winner's: nothing refunds it to the Seeker; only staff can withdraw it, by freezing
it in a recorded dispute and then forfeiting it. A withdrawn award's signed deeds are
marked void (the IP stays with the solver) and its money goes back to the held escrow,
so the owner may award the next-ranked entry.

When every award is paid or forfeited and the owner has finished choosing, the
challenge completes and the rest of the escrow is refunded: paying an award and
finishing the selection queue the lifecycle's `settle_challenge` task after commit."""

from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from legal.documents import deed_render, deed_sign, deeds_void
from legal.services import RenderedAgreement
from marketplace.accounts.permissions import is_staff
from marketplace.awards.certificates import certificates_issue
from marketplace.awards.models import (
    Award,
    AwardRecipient,
    AwardState,
    award_id_of,
)
from marketplace.challenges.events import challenge_event_record
from marketplace.challenges.models import Challenge, ChallengeState, IPModel, PlannedAward
from marketplace.challenges.permissions import is_owner, require_owner_or_staff
from marketplace.challenges.states import OWED, UNCLAIMED
from marketplace.core.effects import task_queue, task_queue_after_commit
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.references import subject_of
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send
from marketplace.submissions.models import Submission, SubmissionState
from marketplace.teams.states import TeamMemberState
from payouts.currency import format_money
from payouts.models import AccountPurpose, Payout, PayoutState, TaxForm
from payouts.selectors import balance_of, payouts_for
from payouts.services.ledger import LedgerError
from payouts.services.payouts import award_release_post, payout_retry, payouts_cancel
from payouts.services.tax import (
    payout_account_set,
    payout_ready,
    tax_form_current,
    tax_form_submit,
)
from payouts.splits import split_largest_remainder

EXPIRED_REASON = gettext_noop("The claim deadline passed.")
DECLINED_REASON = gettext_noop("Declined by the winner.")
DEED_KINDS = {
    IPModel.EXCLUSIVE_TRANSFER: "transfer_deed",
    IPModel.NONEXCLUSIVE_LICENCE: "licence_deed",
}


# --- reads used by the actions -------------------------------------------------------


def committed_amount(challenge: Challenge) -> int:
    """What live awards still need from escrow: proposed and not yet released."""
    return (
        challenge.awards.exclude(state=AwardState.FORFEITED)
        .filter(released_at__isnull=True)
        .aggregate(s=Sum("amount"))["s"]
        or 0
    )


class AwardBudget(NamedTuple):
    held: int  # in escrow now
    committed: int  # promised to live awards not yet released
    available: int  # held and not promised: what new awards may use


def award_budget(challenge: Challenge) -> AwardBudget:
    held = balance_of(subject_of(challenge), AccountPurpose.ESCROW)
    committed = committed_amount(challenge)
    return AwardBudget(held, committed, held - committed)


def recipient_verified(recipient: AwardRecipient) -> bool:
    """A tax form and a payout destination on file (nothing to pay: nothing needed)."""
    if recipient.amount == 0:
        return True
    return tax_form_current(recipient.user) is not None and payout_ready(
        recipient.user, settings.PAYMENT_GATEWAY
    )


def deed_kind(challenge: Challenge) -> str | None:
    """The deed the challenge's IP model calls for; None when the solver keeps the IP."""
    return DEED_KINDS.get(challenge.ip_model)


def deed_terms(award: Award, user) -> dict:
    challenge = award.challenge
    recipient = award.recipients.get(user=user)
    return {
        "date": timezone.now().date().isoformat(),
        "solver_name": user.full_name,
        "seeker": challenge.organization.name,
        "submission_title": award.submission.title,
        "challenge_title": challenge.title,
        "submission_sha256": award.submission.sha256,
        "amount": format_money(recipient.amount, challenge.currency, "en"),
        "signature": "",
    }


def award_deed(*, award: Award, user) -> RenderedAgreement | None:
    kind = deed_kind(award.challenge)
    return deed_render(kind=kind, terms=deed_terms(award, user)) if kind else None


# --- helpers ---------------------------------------------------------------------------


def _log(award: Award, actor, name: str, reason: str = "", **details) -> None:
    challenge_event_record(
        challenge=award.challenge,
        actor=actor,
        name=name,
        reason=reason,
        details={"award": award.pk, "award_state": award.state, **details},
    )


def _lock(award_id: int) -> Award:
    """Lock the award's challenge, then the award (always in this order)."""
    challenge_id = Award.objects.values_list("challenge_id", flat=True).get(pk=award_id)
    Challenge.objects.select_for_update().get(pk=challenge_id)
    return (
        Award.objects.select_for_update().select_related("challenge__organization").get(pk=award_id)
    )


def _recipient_users(award: Award) -> list:
    return [r.user for r in award.recipients.select_related("user")]


def _recipient(award: Award, user) -> AwardRecipient:
    recipient = award.recipients.filter(user=user).first() if user.is_authenticated else None
    if recipient is None:
        raise NotAllowed(_("This award is not yours."))
    return recipient


def _claimable(award: Award) -> None:
    if award.state == AwardState.FORFEITED:
        raise IllegalTransition(
            _("This award was forfeited."), state=award.state, code="award_forfeited"
        )
    if award.claim_expired():
        raise IllegalTransition(
            _("The claim deadline has passed."), state=award.state, code="claim_expired"
        )


def _split(submission: Submission, amount: int) -> list[tuple[int, int, int]]:
    """(user id, share in basis points, amount) for each person the award pays."""
    if submission.team_id is None:
        return [(submission.author_id, 10_000, amount)]
    members = list(
        submission.team.members.filter(state=TeamMemberState.ACTIVE)
        .order_by("pk")
        .values_list("user_id", "share_bps")
    )
    if not members or sum(bps for _u, bps in members) == 0:
        raise ValidationError({"submission": [_("The winning team has no members with a share.")]})
    parts = split_largest_remainder(amount, [bps for _u, bps in members])
    return [(user, bps, part) for (user, bps), part in zip(members, parts, strict=True)]


# --- actions -------------------------------------------------------------------------


def award_propose(
    *,
    challenge_id: int,
    actor,
    submission_id: int,
    planned_award_id: int,
    amount: int | None = None,
) -> Award:
    """The owner awards an entry one planned award, in full or in part. The total of
    live awards never exceeds what escrow holds."""
    with transaction.atomic(durable=True):
        challenge = (
            Challenge.objects.select_for_update()
            .select_related("organization")
            .get(pk=challenge_id)
        )
        require_owner_or_staff(actor, challenge)
        if challenge.state != ChallengeState.AWARDING:
            raise IllegalTransition(
                _("Winners are chosen once judging is over (the challenge is awarding)."),
                state=challenge.state,
            )
        if challenge.awards_final_at is not None:
            raise IllegalTransition(
                _("Winner selection is finished."), state=challenge.state, code="awards_final"
            )
        submission = Submission.objects.filter(pk=submission_id, challenge=challenge).first()
        if submission is None:
            raise ValidationError({"submission": [_("No such entry in this challenge.")]})
        if submission.state != SubmissionState.ACTIVE:
            raise ValidationError(
                {
                    "submission": ValidationError(
                        _("This entry was withdrawn and cannot win."), code="withdrawn"
                    )
                }
            )
        planned = PlannedAward.objects.filter(pk=planned_award_id, challenge=challenge).first()
        if planned is None:
            raise ValidationError({"planned_award": [_("No such award in the award plan.")]})
        if amount is None:
            amount = planned.amount
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ValidationError(
                {"amount": [_("The amount must be a positive whole number of minor units.")]}
            )
        if amount > planned.amount:
            raise ValidationError(
                {"amount": [_("A partial award cannot exceed the planned amount.")]}
            )
        if (
            challenge.awards.filter(planned_award=planned)
            .exclude(state=AwardState.FORFEITED)
            .exists()
        ):
            raise ValidationError({"planned_award": [_("This award has already been given.")]})
        if (
            challenge.awards.filter(submission=submission)
            .exclude(state=AwardState.FORFEITED)
            .exists()
        ):
            raise ValidationError({"submission": [_("This entry already has an award.")]})
        if amount > award_budget(challenge).available:
            raise ValidationError(
                {
                    "amount": ValidationError(
                        _("The awards would exceed the prize money held in escrow."),
                        code="exceeds_escrow",
                    )
                }
            )
        award = Award.objects.create(
            challenge=challenge,
            submission=submission,
            planned_award=planned,
            amount=amount,
            claim_deadline=timezone.now() + timedelta(days=challenge.claim_days),
            proposed_by=actor,
        )
        AwardRecipient.objects.bulk_create(
            AwardRecipient(award=award, user_id=user_id, share_bps=bps, amount=part)
            for user_id, bps, part in _split(submission, amount)
        )
        _log(award, actor, "award_propose", amount=amount, submission=submission.pk)
        notifications_send(
            kind=NotificationKind.AWARD_WON,
            users=_recipient_users(award),
            key=f"award:{award.pk}",
            challenge=challenge,
            award=award,
        )
    return award


def award_accept(*, award_id: int, user) -> Award:
    """A winner accepts the award (for a team, any member; each still signs a deed)."""
    with transaction.atomic(durable=True):
        award = _lock(award_id)
        recipient = _recipient(award, user)
        _claimable(award)
        if recipient.accepted_at is None:
            recipient.accepted_at = timezone.now()
            recipient.save(update_fields=["accepted_at"])
        if award.state == AwardState.PROPOSED:
            award.accept()
            award.accepted_at = timezone.now()
            award.save()
            _log(award, user, "award_accept")
            if deed_kind(award.challenge):
                notifications_send(
                    kind=NotificationKind.DEED_READY,
                    users=_recipient_users(award),
                    key=f"award:{award.pk}",
                    challenge=award.challenge,
                    award=award,
                )
            else:
                _advance(award, user)
    return award


def award_deed_sign(
    *,
    award_id: int,
    user,
    accepted_sha256: str,
    signature: str,
    ip: str | None = None,
    user_agent: str = "",
) -> Award:
    """A winner signs their own deed by typing their full name. When every recipient
    has signed, the award moves on (and on to verified if the details are on file)."""
    with transaction.atomic(durable=True):
        award = _lock(award_id)
        recipient = _recipient(award, user)
        _claimable(award)
        kind = deed_kind(award.challenge)
        if kind is None:
            raise IllegalTransition(
                _("The solver keeps the IP: there is no deed to sign."),
                state=award.state,
                code="no_deed",
            )
        if award.state == AwardState.PROPOSED:
            award.accept()
            award.accepted_at = timezone.now()
        if recipient.deed_id is None:
            deed = deed_sign(
                user=user,
                reference=award.reference,
                kind=kind,
                terms=deed_terms(award, user),
                accepted_sha256=accepted_sha256,
                signature=signature,
                full_name=user.full_name,
                ip=ip,
                user_agent=user_agent,
            )
            recipient.deed = deed
            recipient.accepted_at = recipient.accepted_at or timezone.now()
            recipient.save(update_fields=["deed", "accepted_at"])
            _log(award, user, "deed_sign", user=user.pk, deed_sha256=deed.pdf_sha256)
        award.save()
        _advance(award, user)
    return award


def _advance(award: Award, actor) -> None:
    """Move an accepted award as far as its recipients allow: signed when every deed is
    signed (or none is needed), verified when everyone's details are on file, and then
    released at once unless a staff dispute froze it."""
    recipients = list(award.recipients.select_related("user"))
    if award.state == AwardState.ACCEPTED and (
        deed_kind(award.challenge) is None or all(r.deed_id for r in recipients)
    ):
        award.sign()
        award.deed_signed_at = timezone.now()
        award.save()
        _log(award, actor, "award_deed_signed")
    if award.state == AwardState.DEED_SIGNED and all(recipient_verified(r) for r in recipients):
        award.verify()
        award.verified_at = timezone.now()
        award.save()
        _log(award, actor, "award_verify")
    if award.state == AwardState.VERIFIED and award.released_at is None and not award.is_frozen:
        _release(award, actor)


def _release(award: Award, actor) -> None:
    """Escrow -> each winner's payable in one ledger entry, one payout per winner, and
    the payout task queued after commit. Part of the action that verified the award
    (or ended its dispute): nobody has to press a button for a winner to be paid."""
    challenge = award.challenge
    try:
        award_release_post(
            subject=subject_of(challenge),
            reference=award.reference,
            currency=challenge.currency,
            parts=[(r.user_id, r.amount) for r in award.recipients.all() if r.amount > 0],
            gateway=settings.PAYMENT_GATEWAY,
            actor=actor,
        )
    except LedgerError as exc:
        raise IllegalTransition(str(exc), state=award.state, code=exc.code) from exc
    award.released_at = timezone.now()
    award.released_by = actor
    award.save()
    _log(award, actor, "award_release", amount=award.amount)
    task_queue_after_commit("marketplace.tasks.pay_award", award.pk)


def awards_recheck_for(*, user) -> int:
    """After a winner files a tax form or payout details: verify (and so release) their
    signed awards that now have everything. Returns how many became verified."""
    verified = 0
    ids = list(
        Award.objects.filter(recipients__user=user, state=AwardState.DEED_SIGNED).values_list(
            "pk", flat=True
        )
    )
    for award_id in ids:
        with transaction.atomic(durable=True):
            award = _lock(award_id)
            if award.state == AwardState.DEED_SIGNED:
                _advance(award, user)
                verified += award.state == AwardState.VERIFIED
    return verified


def winner_tax_form_file(*, user, kind: str, data: dict) -> TaxForm:
    """File a winner's tax form, then verify their signed awards that waited for it."""
    filed = tax_form_submit(user=user, kind=kind, data=data)
    awards_recheck_for(user=user)
    return filed


def winner_payout_account_set(*, user, destination: str) -> None:
    """Save where a winner is paid (the site's gateway), then verify their signed awards
    that waited for it."""
    payout_account_set(user=user, gateway=None, destination=destination)
    awards_recheck_for(user=user)


def award_settle_payment(*, award_id: int) -> Award:
    """After the payout task: once every payout of the award succeeded, mark it paid,
    issue the certificates and, after commit, see whether the challenge is done."""
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
        certificates_issue(award)
        notifications_send(
            kind=NotificationKind.AWARD_PAID,
            users=_recipient_users(award),
            key=f"award:{award.pk}",
            challenge=award.challenge,
            award=award,
        )
        task_queue_after_commit("marketplace.tasks.settle_challenge", award.challenge_id)
    return award


def _forfeit_refusal(award: Award, actor) -> str | None:
    """Why `actor` may not withdraw this award now (None when they may). `actor` None
    is the claim-deadline sweep."""
    if award.state == AwardState.PAID:
        return _("This award is paid.")
    if actor is None or is_owner(actor, award.challenge):
        if award.claim_expired():
            return None
        if award.state in OWED:
            return _(
                "The winner has signed the deed: the prize is owed to them. Only staff "
                "can withdraw it, through a dispute."
            )
        return _("An award can be withdrawn only once its claim deadline has passed unclaimed.")
    if is_staff(actor):
        if award.state in OWED and not award.is_frozen:
            return _("The winner has signed the deed: freeze the award in a dispute first.")
        return None
    if award.recipients.filter(user=actor).exists():
        if award.state in UNCLAIMED:
            return None
        return _("You have signed the deed; the prize is yours and is no longer declined here.")
    return _("This award cannot be forfeited now.")


def award_forfeit(*, award_id: int, actor, reason: str = "") -> Award:
    """Withdraw an award: by the system or the owner once the claim deadline has passed
    unclaimed, by a winner declining it before signing, by staff with a reason (after
    the deed is signed, only while the award is frozen in a dispute). Money released
    and not paid goes back to escrow; signed deeds are marked void. The owner may then
    award another entry."""
    reason = (reason or "").strip()
    with transaction.atomic(durable=True):
        award = _lock(award_id)
        if award.state == AwardState.FORFEITED:
            return award
        challenge = award.challenge
        refusal = _forfeit_refusal(award, actor)
        if refusal:
            raise IllegalTransition(refusal, state=award.state, code="not_forfeitable")
        if actor is not None and is_staff(actor) and not reason:
            raise ValidationError({"reason": [_("Give a reason for this action.")]})
        if award.released_at is not None:
            try:
                payouts_cancel(reference=award.reference)
            except ValidationError as exc:
                raise IllegalTransition(
                    " ".join(exc.messages), state=award.state, code="payout_under_way"
                ) from exc
        award.forfeit()
        award.forfeited_at = timezone.now()
        declined = actor is not None and award.recipients.filter(user=actor).exists()
        award.forfeit_reason = (reason or (DECLINED_REASON if declined else EXPIRED_REASON))[:500]
        award.save()
        deeds_void(reference=award.reference, reason=award.forfeit_reason)
        if challenge.awards_final_at is not None:
            Challenge.objects.filter(pk=challenge.pk).update(awards_final_at=None)
        _log(award, actor, "award_forfeit", reason=award.forfeit_reason)
        owners = challenge.organization.memberships.filter(role="owner").select_related("user")
        notifications_send(
            kind=NotificationKind.AWARD_FORFEITED,
            users=_recipient_users(award) + [m.user for m in owners],
            key=f"award:{award.pk}",
            challenge=challenge,
            award=award,
        )
    return award


def award_decline(*, award_id: int, user, reason: str = "") -> Award:
    """A winner gives up an unsigned award (for a team: the whole team's)."""
    _recipient(Award.objects.get(pk=award_id), user)
    return award_forfeit(award_id=award_id, actor=user, reason=reason)


def _require_staff_reason(actor, reason: str) -> str:
    if not is_staff(actor):
        raise NotAllowed(_("Only staff can handle a dispute."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason for this action.")]})
    return reason[:500]


def award_freeze(*, award_id: int, actor, reason: str) -> Award:
    """Staff open a dispute: while the award is frozen it is not released, not paid and
    does not lapse; it ends with `award_unfreeze` (the winner keeps it) or
    `award_forfeit` (withdrawn). Freezing twice changes nothing."""
    reason = _require_staff_reason(actor, reason)
    with transaction.atomic(durable=True):
        award = _lock(award_id)
        if award.is_settled:
            raise IllegalTransition(
                _("A paid or forfeited award cannot be disputed."),
                state=award.state,
                code="award_settled",
            )
        if award.is_frozen:
            return award
        award.frozen_at = timezone.now()
        award.frozen_by = actor
        award.frozen_reason = reason
        award.save()
        _log(award, actor, "award_freeze", reason=reason)
    return award


def award_unfreeze(*, award_id: int, actor, reason: str) -> Award:
    """Staff end a dispute in the winner's favour: the award moves on as if it had never
    been frozen (released at once if verified, its payouts sent)."""
    reason = _require_staff_reason(actor, reason)
    with transaction.atomic(durable=True):
        award = _lock(award_id)
        if not award.is_frozen:
            return award
        award.frozen_at = None
        award.frozen_by = None
        award.frozen_reason = ""
        award.save()
        _log(award, actor, "award_unfreeze", reason=reason)
        released = award.released_at is not None
        _advance(award, actor)
        if released and award.state == AwardState.VERIFIED:
            task_queue_after_commit("marketplace.tasks.pay_award", award.pk)
    return award


def awards_forfeit_expired(*, now: datetime | None = None) -> int:
    """Beat task body: forfeit every award whose claim deadline passed before its deed
    was signed (awards in a dispute wait for staff)."""
    now = now or timezone.now()
    ids = list(
        Award.objects.filter(
            state__in=UNCLAIMED, claim_deadline__lte=now, frozen_at__isnull=True
        ).values_list("pk", flat=True)
    )
    for award_id in ids:
        try:
            award_forfeit(award_id=award_id, actor=None)
        except IllegalTransition:  # claimed or forfeited in the meantime
            continue
    return len(ids)


def awards_finalize(*, challenge_id: int, actor) -> Challenge:
    """The owner has chosen every winner. Once all awards are paid or forfeited the
    challenge completes and the rest of the escrow is refunded."""
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        require_owner_or_staff(actor, challenge)
        if challenge.state != ChallengeState.AWARDING:
            raise IllegalTransition(_("The challenge is not awarding."), state=challenge.state)
        if not challenge.awards.exclude(state=AwardState.FORFEITED).exists():
            raise ValidationError(
                {"awards": [_("Choose at least one winner, or end the challenge with no award.")]}
            )
        if challenge.awards_final_at is None:
            challenge.awards_final_at = timezone.now()
            challenge.save(update_fields=["awards_final_at", "updated_at"])
            challenge_event_record(challenge=challenge, actor=actor, name="awards_finalize")
        task_queue_after_commit("marketplace.tasks.settle_challenge", challenge_id)
    return Challenge.objects.get(pk=challenge_id)


def award_payout_retry(*, payout_id: int, actor) -> None:
    """Staff send a payout that finally failed once more."""
    if not is_staff(actor):
        raise NotAllowed(_("Only staff can retry a payout."))
    with transaction.atomic(durable=True):
        payout = payout_retry(payout_id=payout_id)
        award_id = award_id_of(payout.reference)
        task_queue_after_commit("marketplace.tasks.pay_award", award_id)


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


def award_payout_confirmed(*, reference: str) -> None:
    """Payout hook: a payout of `reference` went through; settle its award if that was
    the last one."""
    award_id = award_id_of(reference)
    if award_id is not None:
        award_settle_payment(award_id=award_id)
