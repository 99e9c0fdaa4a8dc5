"""Payments in and refunds out. The gateway is called outside any database
transaction; what it reports comes back through `payment_confirm`, `payment_fail` and
`refund_done`, each of which locks its row, re-checks and returns if already done
(so a webhook, a retry and the original request can all report the same thing)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..accounts import clearing_account, subject_account
from ..currency import check_currency
from ..gateways import GatewayUnavailable, get_gateway
from ..models import Account, AccountPurpose, Payment, PaymentState, Refund, RefundState
from ..selectors import balance_of
from .ledger import LegSpec, entry_post, transfer


def _positive_minor(amount) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValidationError(
            {"amount": [_("The amount must be a positive whole number of minor units.")]}
        )
    if amount > settings.PAYMENT_MAX_MINOR:
        raise ValidationError({"amount": [_("The amount is larger than one payment may be.")]})
    return amount


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
    """Record a pending payment, ask the gateway to take it, and record the answer.

    With a client-supplied `idempotency_key`, repeating the call returns the first
    payment (and retries the gateway call if it never got an answer).
    """
    _positive_minor(amount)
    check_currency(currency)
    key = f"pay:{idempotency_key}" if idempotency_key else f"pay:{uuid.uuid4()}"
    provider = get_gateway(gateway)
    with transaction.atomic():
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
    if created or (payment.state == PaymentState.PENDING and not payment.provider_id):
        payment_send(payment_id=payment.pk, payment_method=payment_method)
    return Payment.objects.get(pk=payment.pk)


def payment_send(*, payment_id: int, payment_method: str | None = None) -> None:
    """Call the gateway for a pending payment (safe to repeat: same idempotency key)."""
    payment = Payment.objects.get(pk=payment_id)
    try:
        outcome = get_gateway(payment.gateway).start_payment(payment, payment_method=payment_method)
    except GatewayUnavailable as exc:
        Payment.objects.filter(pk=payment.pk).update(failure_message=str(exc)[:500])
        raise
    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(
            provider_id=outcome.provider_id,
            client_secret=outcome.client_secret,
            failure_message=outcome.failure_message[:500],
        )
    if outcome.status == "succeeded":
        payment_confirm(payment_id=payment.pk)
    elif outcome.status == "failed":
        payment_fail(payment_id=payment.pk, message=outcome.failure_message)


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
    return refund
