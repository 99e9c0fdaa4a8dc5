"""The challenge's money, orchestrated: funding through the gateway, filling escrow
when the challenge opens, refunds when it ends without paying everything out. The
ledger and gateways live in `payouts`; this module only decides what happens when."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.permissions import is_editor, is_owner
from marketplace.core.effects import task_queue_after_commit
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.references import subject_of
from marketplace.escrow.selectors import refund_scope
from payouts.accounts import fees_account, subject_account
from payouts.currency import format_money
from payouts.fees import fee_for, fee_schedule, funding_total
from payouts.ledger_queries import payment_for_client_key
from payouts.models import AccountPurpose, Payment, PaymentState
from payouts.selectors import funding_due as subject_funding_due
from payouts.selectors import incoming
from payouts.services.ledger import LegSpec, entry_post
from payouts.services.payments import check_amount, payment_record, payment_send, refunds_start


def funding_due(challenge: Challenge) -> dict:
    """What opening needs: pool + fee, what arrived, and what is still missing."""
    return subject_funding_due(
        subject=subject_of(challenge), pool=challenge.prize_pool, currency=challenge.currency
    )


def challenge_fund(
    *,
    challenge_id: int,
    actor,
    amount: int | None = None,
    payment_method: str | None = None,
    idempotency_key: str | None = None,
) -> Payment:
    """Pay (part of) pool + fee into the challenge's funding account through the
    configured gateway. Only while awaiting funding; amount defaults to what is due.

    Money cannot be asked for twice. One transaction locks the challenge row, so
    requests for one challenge take turns; it re-checks the state and what is due,
    counting payments on their way (pending: neither confirmed nor failed) as paid,
    and records the pending payment. The gateway is called after it commits, outside
    any transaction. So however many requests arrive at once, with or without keys,
    the payer is never asked for more than pool + fee:

    - without an amount, a request pays what is due; when nothing is due but a payment
      is on its way, it answers with that payment (with its client secret, so the
      payer can still confirm it) instead of starting another;
    - an amount above what is due is refused (`exceeds_due`);
    - a failed payment is no longer on its way, so the next request starts a new one.
      A card payment the payer abandoned, or whose card was declined, stays on its
      way, and every request answers with it, until the payer completes it (with
      another card, on the same PaymentIntent) or Stripe reports it cancelled
      (`payment_intent.canceled`, e.g. when it is cancelled in the dashboard).

    Repeating a call with the same `idempotency_key` answers with the first payment
    as it really stands: a payment the provider has not answered for yet (the first
    request is still waiting for it, or got no answer) is sent again under its own
    idempotency key, which the provider answers like the first call
    (`payment_send`), so a replay reports the payment's real outcome, never
    "pending" for money that arrived. Any answer naming a payment on its way does
    the same."""
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        if not (is_editor(actor, challenge) or is_staff(actor)):
            raise NotAllowed(
                _("Only owners and managers of the organisation can fund a challenge.")
            )
        payment = _funding_payment(challenge, actor=actor, amount=amount, key=idempotency_key)
    return payment_send(payment_id=payment.pk, payment_method=payment_method)


def _funding_payment(challenge: Challenge, *, actor, amount: int | None, key: str | None):
    """Under the challenge's lock: the payment a funding request answers with."""
    subject = subject_of(challenge)
    earlier = payment_for_client_key(key) if key else None
    if earlier is not None:
        if earlier.subject != subject or amount not in (None, earlier.amount):
            raise ValidationError(
                {"idempotency_key": [_("This key was used for another payment.")]}
            )
        if earlier.provider_id or earlier.state != PaymentState.PENDING:
            # The provider answered the first request: that is the answer, whatever
            # has happened to the challenge since.
            return earlier
    if challenge.state != ChallengeState.AWAITING_FUNDING:
        raise IllegalTransition(
            _("Only a challenge awaiting funding can be funded."),
            state=challenge.state,
            code="not_awaiting_funding",
        )
    if earlier is not None:
        return earlier
    if amount is not None:
        check_amount(amount, challenge.currency)
    funding = incoming(subject)
    due = funding_total(challenge.prize_pool, challenge.currency) - funding.total
    if amount is None:
        if due > 0:
            amount = due
        elif funding.in_flight:
            return funding.in_flight[0]
        else:
            raise IllegalTransition(
                _("The challenge is already fully funded."),
                state=challenge.state,
                code="already_funded",
            )
    elif amount > due:
        raise IllegalTransition(
            _(
                "The amount is more than is still due: %(due)s, counting payments that are "
                "on their way."
            )
            % {"due": format_money(max(due, 0), challenge.currency)},
            state=challenge.state,
            code="exceeds_due",
        )
    return payment_record(
        subject=subject,
        amount=amount,
        currency=challenge.currency,
        actor=actor,
        gateway=settings.PAYMENT_GATEWAY,
        idempotency_key=key,
    )


def escrow_fill(challenge: Challenge, actor) -> dict:
    """On opening: move the pool from funding into escrow and the fee to the platform,
    in one entry. Raises InsufficientFunds (nothing posted) if funding falls short.
    Returns the fee and the fee schedule it came from, for the opening's history row
    (the audit checks the fee against that schedule, whatever the settings say later)."""
    schedule = fee_schedule()
    fee = fee_for(challenge.prize_pool, challenge.currency, schedule)
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
    return {"fee": fee, "fee_schedule": schedule}


def escrow_refund(challenge: Challenge, *, reason: str, include_escrow: bool = True) -> int:
    """Start refunds of everything the challenge still holds (escrow and unallocated
    funding; the fee, once earned, stays). Refunds go out after commit. Returns the
    number of refunds started; calling it again starts none."""
    refunds = refunds_start(
        subject=subject_of(challenge), reason=reason, include_escrow=include_escrow
    )
    for refund in refunds:
        task_queue_after_commit("payouts.tasks.execute_refund", refund.pk)
    return len(refunds)


def challenge_refund_excess(*, challenge_id: int, actor) -> int:
    """Return money the challenge holds but owes no one. While it runs (opened and not
    ended): what was paid beyond pool + fee. Once it has ended (cancelled, no award):
    everything still held, such as a payment confirmed after the cancellation or a refund
    the provider refused. Returns the number of refunds started."""
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        if not (is_owner(actor, challenge) or is_editor(actor, challenge) or is_staff(actor)):
            raise NotAllowed(_("Only owners and managers of the organisation can ask for refunds."))
        scope = refund_scope(challenge)
        if not scope:
            raise IllegalTransition(
                _("Excess funding is refunded once the challenge has opened."),
                state=challenge.state,
                code="not_open",
            )
        if AccountPurpose.ESCROW in scope:
            return escrow_refund(challenge, reason=_("Money left after the challenge ended"))
        return escrow_refund(challenge, reason=_("Excess funding"), include_escrow=False)
