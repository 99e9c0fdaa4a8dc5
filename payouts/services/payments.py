"""Payments in and refunds out. The gateway is called outside any database
transaction; what it reports comes back through `payment_confirm`, `payment_fail` and
`refund_done`, each of which locks its row, re-checks and returns if already done
(so a webhook, a retry and the original request can all report the same thing).
Confirming a payment and completing a refund tell settings.PAYMENT_CONFIRMED_HOOKS and
REFUND_DONE_HOOKS in the same transaction (the receipt and the credit note are issued
with the money, or not at all)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from payouts.accounts import clearing_account, subject_account
from payouts.currency import check_currency, format_money
from payouts.gateways import GatewayUnavailable, get_gateway
from payouts.models import Account, AccountPurpose, Payment, PaymentState, Refund, RefundState
from payouts.selectors import balance_of
from payouts.services.ledger import LegSpec, entry_post, transfer


def check_amount(amount, currency: str) -> int:
    """A payment's amount (integer minor units of `currency`): more than zero, at most
    `PAYMENT_MAX_MINOR`; anything else is a ValidationError on "amount"."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValidationError({"amount": [_("The amount must be more than zero.")]})
    if amount > settings.PAYMENT_MAX_MINOR:
        raise ValidationError(
            {
                "amount": [
                    _("One payment can be at most %(limit)s.")
                    % {"limit": format_money(settings.PAYMENT_MAX_MINOR, currency)}
                ]
            }
        )
    return amount


def payment_record(
    *,
    subject: str,
    amount: int,
    currency: str,
    actor,
    gateway: str | None = None,
    idempotency_key: str | None = None,
) -> Payment:
    """Record a pending payment, or find the one recorded under the caller's
    `idempotency_key` (a key already used for another subject, amount or currency is a
    ValidationError). Runs inside the caller's transaction, which decides what may be
    paid; send the payment with `payment_send` once that transaction has committed."""
    check_currency(currency)
    check_amount(amount, currency)
    key = f"pay:{idempotency_key}" if idempotency_key else f"pay:{uuid.uuid4()}"
    provider = get_gateway(gateway)
    payment, created = Payment.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "subject": subject,
            "gateway": provider.name,
            "amount": amount,
            "currency": currency,
            "created_by": actor,
            "test_money": provider.test_money,
        },
    )
    if not created and (payment.subject, payment.amount, payment.currency) != (
        subject,
        amount,
        currency,
    ):
        raise ValidationError({"idempotency_key": [_("This key was used for another payment.")]})
    return payment


def payment_start(
    *,
    subject: str,
    amount: int,
    currency: str,
    actor,
    gateway: str | None = None,
    payment_method: str | None = None,
    idempotency_key: str | None = None,
) -> Payment:
    """Record a pending payment, ask the gateway to take it, and return it as it then
    stands. Nothing limits how much a subject is paid here: callers that must not be
    paid more than is due record the payment under their own lock (`payment_record`)
    and send it after commit, as `marketplace.escrow.services.challenge_fund` does.

    With a client-supplied `idempotency_key`, repeating the call returns the first
    payment (and retries the gateway call if it never got an answer).
    """
    with transaction.atomic(durable=True):
        payment = payment_record(
            subject=subject,
            amount=amount,
            currency=currency,
            actor=actor,
            gateway=gateway,
            idempotency_key=idempotency_key,
        )
    return payment_send(payment_id=payment.pk, payment_method=payment_method)


def payment_send(*, payment_id: int, payment_method: str | None = None) -> Payment:
    """Ask the gateway to take a payment it has not answered for yet (pending, no
    provider id), record its answer, and return the payment as it then stands. A
    payment the provider has answered for is returned as it is.

    Safe to repeat, and to run for the same payment in several requests at once: every
    call carries the payment's own idempotency key, so the provider takes the money at
    most once and answers each call alike (the local gateway by construction; Stripe
    returns its first answer to a key, makes a concurrent call with it wait with a 409
    that its library retries, and refuses the key with other parameters, such as
    another payment method). The answer is recorded in one transaction with what it
    means (confirmed and posted, or failed), so nobody reads a payment that has its
    provider id but not yet its outcome."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.state != PaymentState.PENDING or payment.provider_id:
        return payment
    try:
        outcome = get_gateway(payment.gateway).start_payment(payment, payment_method=payment_method)
    except GatewayUnavailable as exc:
        Payment.objects.filter(pk=payment.pk).update(failure_message=str(exc)[:500])
        raise
    with transaction.atomic(durable=True):
        Payment.objects.filter(pk=payment.pk).update(
            provider_id=outcome.provider_id,
            client_secret=outcome.client_secret,
            failure_message=outcome.failure_message[:500],
        )
        if outcome.status == "succeeded":
            payment_confirm(payment_id=payment.pk)
        elif outcome.status == "failed":
            payment_fail(payment_id=payment.pk, message=outcome.failure_message)
    return Payment.objects.get(pk=payment.pk)


def payment_confirm(*, payment_id: int) -> Payment:
    """The provider took the money: mark the payment and post it to the subject's
    funding account. Runs once however often it is reported."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.state == PaymentState.SUCCEEDED:
            return payment
        payment.state = PaymentState.SUCCEEDED
        payment.confirmed_at = timezone.now()
        payment.failure_message = ""
        payment.save(update_fields=["state", "confirmed_at", "failure_message"])
        entry_post(
            key=f"fund:{payment.pk}",
            kind="fund",
            reference=payment.subject,
            currency=payment.currency,
            actor=payment.created_by,
            memo=f"Payment {payment.pk} via {payment.gateway}",
            legs=transfer(
                clearing_account(payment.gateway, payment.currency),
                subject_account(payment.subject, AccountPurpose.FUNDING),
                payment.amount,
            ),
        )
        for path in settings.PAYMENT_CONFIRMED_HOOKS:
            import_string(path)(payment=payment)
    return payment


def payment_fail(*, payment_id: int, message: str = "") -> Payment:
    """The provider refused. A payment already confirmed stays confirmed (a late
    failure report of an earlier attempt must not undo money that arrived)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.state != PaymentState.PENDING:
            return payment
        payment.state = PaymentState.FAILED
        payment.failure_message = (message or _("The payment was declined."))[:500]
        payment.save(update_fields=["state", "failure_message"])
    return payment


def refunds_start(*, subject: str, reason: str, include_escrow: bool) -> list[Refund]:
    """Create pending refunds for what the subject still holds: its unallocated funding
    and, with `include_escrow`, its escrow, less refunds already under way. Spread over
    its successful payments, newest first. Calling it again creates nothing new.
    Must run inside the caller's transaction; execute the refunds after commit."""
    list(Account.objects.select_for_update().filter(code__startswith=f"{subject}:").order_by("pk"))
    pending = Refund.objects.filter(payment__subject=subject, state=RefundState.PENDING)
    totals = pending.aggregate(f=Sum("from_funding"), e=Sum("from_escrow"))
    from_funding = balance_of(subject, AccountPurpose.FUNDING) - (totals["f"] or 0)
    from_escrow = (
        (balance_of(subject, AccountPurpose.ESCROW) - (totals["e"] or 0)) if include_escrow else 0
    )
    refunds = []
    payments = Payment.objects.filter(subject=subject, state=PaymentState.SUCCEEDED).order_by("-pk")
    for payment in payments:
        if from_funding <= 0 and from_escrow <= 0:
            break
        taken = (
            payment.refunds.exclude(state=RefundState.FAILED).aggregate(s=Sum("amount"))["s"] or 0
        )
        room = payment.amount - taken
        part_funding = min(room, max(from_funding, 0))
        part_escrow = min(room - part_funding, max(from_escrow, 0))
        if part_funding + part_escrow <= 0:
            continue
        refunds.append(
            Refund.objects.create(
                payment=payment,
                amount=part_funding + part_escrow,
                from_funding=part_funding,
                from_escrow=part_escrow,
                reason=reason[:500],
            )
        )
        from_funding -= part_funding
        from_escrow -= part_escrow
    return refunds


def refund_send(*, refund_id: int) -> Refund:
    """Ask the payment's gateway to return the money (same idempotency key every time)."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.state != RefundState.PENDING:
        return refund
    Refund.objects.filter(pk=refund.pk).update(attempts=refund.attempts + 1)
    try:
        outcome = get_gateway(refund.payment.gateway).refund(refund)
    except GatewayUnavailable as exc:
        Refund.objects.filter(pk=refund.pk).update(failure_message=str(exc)[:500])
        raise
    Refund.objects.filter(pk=refund.pk).update(provider_id=outcome.provider_id)
    if outcome.status == "succeeded":
        return refund_done(refund_id=refund.pk)
    if outcome.status == "failed":
        return refund_fail(refund_id=refund.pk, message=outcome.failure_message)
    return Refund.objects.get(pk=refund.pk)


def refund_fail(*, refund_id: int, message: str) -> Refund:
    """The provider gave up on a pending refund: the money stays where it is, visible
    and refundable again. A refund already done is never undone here."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if refund.state == RefundState.PENDING:
            refund.state = RefundState.FAILED
            refund.failure_message = (message or "")[:500]
            refund.save(update_fields=["state", "failure_message"])
    return refund


def refund_done(*, refund_id: int) -> Refund:
    """The provider returned the money: post it out of the subject's accounts, once."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().select_related("payment").get(pk=refund_id)
        if refund.state == RefundState.SUCCEEDED:
            return refund
        payment = refund.payment
        legs = [LegSpec(clearing_account(payment.gateway, payment.currency), refund.amount)]
        if refund.from_funding:
            legs.append(
                LegSpec(
                    subject_account(payment.subject, AccountPurpose.FUNDING), -refund.from_funding
                )
            )
        if refund.from_escrow:
            legs.append(
                LegSpec(
                    subject_account(payment.subject, AccountPurpose.ESCROW), -refund.from_escrow
                )
            )
        entry_post(
            key=f"refund:{refund.pk}",
            kind="refund",
            reference=payment.subject,
            currency=payment.currency,
            memo=refund.reason or f"Refund {refund.pk}",
            legs=legs,
        )
        refund.state = RefundState.SUCCEEDED
        refund.completed_at = timezone.now()
        refund.failure_message = ""
        refund.save(update_fields=["state", "completed_at", "failure_message"])
        for path in settings.REFUND_DONE_HOOKS:
            import_string(path)(refund=refund)
    return refund
