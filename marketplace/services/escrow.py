"""The challenge's money, orchestrated: funding through the gateway, filling escrow
when the challenge opens, refunds when it ends without paying everything out. The
ledger and gateways live in `payouts`; this module only decides what happens when."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from payouts.accounts import fees_account, subject_account
from payouts.fees import fee_for
from payouts.ledger_queries import payment_for_client_key
from payouts.models import AccountPurpose, Payment
from payouts.selectors import balance_of
from payouts.services.ledger import LegSpec, entry_post
from payouts.services.payments import payment_start, refunds_start
from payouts.tasks import execute_refund

from .. import permissions
from ..errors import IllegalTransition, NotAllowed
from ..models import Challenge, ChallengeState
from ..subjects import subject_of

ENDED = (ChallengeState.CANCELLED, ChallengeState.NO_AWARD)


def funding_due(challenge: Challenge) -> dict:
    """What opening needs: pool + fee, what arrived, and what is still missing."""
    fee = fee_for(challenge.prize_pool, challenge.currency)
    received = balance_of(subject_of(challenge), AccountPurpose.FUNDING)
    total = challenge.prize_pool + fee
    return {
        "pool": challenge.prize_pool,
        "fee": fee,
        "total": total,
        "received": received,
        "outstanding": max(total - received, 0),
        "excess": max(received - total, 0),
    }


def challenge_fund(
    *,
    challenge_id: int,
    actor,
    amount: int | None = None,
    payment_method: str | None = None,
    idempotency_key: str | None = None,
) -> Payment:
    """Pay (part of) pool + fee into the challenge's funding account through the
    configured gateway. Only while awaiting funding; amount defaults to what is missing.
    Repeating a call with the same `idempotency_key` returns the first payment."""
    challenge = Challenge.objects.get(pk=challenge_id)
    if not (permissions.is_editor(actor, challenge) or permissions.is_staff(actor)):
        raise NotAllowed(_("Only owners and managers of the organisation can fund a challenge."))
    earlier = payment_for_client_key(idempotency_key) if idempotency_key else None
    if earlier is not None and earlier.provider_id:
        # A repeated request: answer with what the first one did, whatever has happened since.
        if earlier.subject != subject_of(challenge) or amount not in (None, earlier.amount):
            raise ValidationError(
                {"idempotency_key": [_("This key was used for another payment.")]}
            )
        return earlier
    if challenge.state != ChallengeState.AWAITING_FUNDING:
        raise IllegalTransition(
            _("Only a challenge awaiting funding can be funded."),
            state=challenge.state,
            code="not_awaiting_funding",
        )
    if amount is None:
        amount = funding_due(challenge)["outstanding"]
        if amount <= 0:
            raise IllegalTransition(
                _("The challenge is already fully funded."),
                state=challenge.state,
                code="already_funded",
            )
    return payment_start(
        subject=subject_of(challenge),
        amount=amount,
        currency=challenge.currency,
        actor=actor,
        gateway=settings.PAYMENT_GATEWAY,
        payment_method=payment_method,
        idempotency_key=idempotency_key,
    )


def escrow_fill(challenge: Challenge, actor) -> None:
    """On opening: move the pool from funding into escrow and the fee to the platform,
    in one entry. Raises InsufficientFunds (nothing posted) if funding falls short."""
    fee = fee_for(challenge.prize_pool, challenge.currency)
    funding = subject_account(subject_of(challenge), AccountPurpose.FUNDING)
    legs = [
        LegSpec(funding, -(challenge.prize_pool + fee)),
        LegSpec(
            subject_account(subject_of(challenge), AccountPurpose.ESCROW), challenge.prize_pool
        ),
    ]
    if fee:
        legs.append(LegSpec(fees_account(challenge.currency), fee))
    entry_post(
        key=f"open:{challenge.pk}",
        kind="open",
        reference=subject_of(challenge),
        currency=challenge.currency,
        legs=legs,
        actor=actor,
        memo="Prize pool into escrow and platform fee",
    )


def escrow_refund(challenge: Challenge, *, reason: str, include_escrow: bool = True) -> int:
    """Start refunds of everything the challenge still holds (escrow and unallocated
    funding; the fee, once earned, stays). Refunds go out after commit. Returns the
    number of refunds started; calling it again starts none."""
    refunds = refunds_start(
        subject=subject_of(challenge), reason=reason, include_escrow=include_escrow
    )
    for refund in refunds:
        transaction.on_commit(lambda pk=refund.pk: execute_refund.delay(pk))
    return len(refunds)


def challenge_refund_excess(*, challenge_id: int, actor) -> int:
    """Return money the challenge holds but owes no one. While it runs (opened and not
    ended): what was paid beyond pool + fee. Once it has ended (cancelled, no award):
    everything still held, such as a payment confirmed after the cancellation or a refund
    the provider refused. Returns the number of refunds started."""
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        if not (
            permissions.is_owner(actor, challenge)
            or permissions.is_editor(actor, challenge)
            or permissions.is_staff(actor)
        ):
            raise NotAllowed(_("Only owners and managers of the organisation can ask for refunds."))
        if challenge.state in ENDED:
            return escrow_refund(challenge, reason=_("Money left after the challenge ended"))
        if not challenge.is_published:
            raise IllegalTransition(
                _("Excess funding is refunded once the challenge has opened."),
                state=challenge.state,
                code="not_open",
            )
        return escrow_refund(challenge, reason=_("Excess funding"), include_escrow=False)
