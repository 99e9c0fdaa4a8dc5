"""Reconciliation with the provider: every payment, refund and payout the ledger counts
as done through Stripe must exist at Stripe, be done there too (a reversed payout:
reversed there), and be for the same amount and currency (a refund: of the same
PaymentIntent; a payout: to the same account). Used by `ledger_audit --reconcile`.

Bank transfers (the `wire` gateway) have no provider to ask: staff record them from the
bank statement, so they are counted, not reconciled, and only checked to carry the
bank's reference that finds them on the statement."""

from dataclasses import dataclass, field

from payouts.gateways.stripe import ProviderRecord, StripeGateway
from payouts.models import Payment, PaymentState, Payout, PayoutState, Refund, RefundState


@dataclass
class ReconcileReport:
    checked: dict[str, int] = field(default_factory=dict)
    breaches: list[str] = field(default_factory=list)


def _mismatch(provider_id: str, expected: ProviderRecord, theirs: ProviderRecord | None) -> str:
    """Why Stripe's record differs from ours ("" when it does not)."""
    if not provider_id:
        return "succeeded here but has no Stripe id"
    if theirs is None:
        return f"{provider_id} is unknown at Stripe"
    if theirs.status != expected.status:
        return f"{provider_id} is {theirs.status} at Stripe"
    if (theirs.amount, theirs.currency) != (expected.amount, expected.currency):
        return (
            f"{provider_id} is {theirs.amount} {theirs.currency} at Stripe, "
            f"{expected.amount} {expected.currency} here"
        )
    if theirs.payment_intent != expected.payment_intent:
        return f"{provider_id} refunds {theirs.payment_intent} at Stripe, not {expected.payment_intent}"
    if theirs.destination != expected.destination:
        return f"{provider_id} pays {theirs.destination} at Stripe, not {expected.destination}"
    return ""


def _wire(report: ReconcileReport) -> int:
    """Breaches for wire payments and refunds done without a bank reference; returns
    how many there are, for a person to compare with the bank statement."""
    payments = Payment.objects.filter(gateway="wire", state=PaymentState.SUCCEEDED)
    refunds = Refund.objects.filter(payment__gateway="wire", state=RefundState.SUCCEEDED)
    for pk in payments.filter(provider_id="").values_list("pk", flat=True):
        report.breaches.append(f"wire payment {pk}: succeeded here but has no bank reference")
    for pk in refunds.filter(provider_id="").values_list("pk", flat=True):
        report.breaches.append(f"wire refund {pk}: succeeded here but has no bank reference")
    return payments.count() + refunds.count()


def run_reconcile() -> ReconcileReport:
    """Raises GatewayUnavailable if Stripe cannot be reached (nothing is concluded)."""
    report = ReconcileReport()
    gateway = StripeGateway()
    payments = Payment.objects.filter(gateway="stripe", state=PaymentState.SUCCEEDED)
    for payment in payments.order_by("pk"):
        expected = ProviderRecord("succeeded", payment.amount, payment.currency)
        theirs = gateway.payment_record(payment.provider_id) if payment.provider_id else None
        if problem := _mismatch(payment.provider_id, expected, theirs):
            report.breaches.append(f"stripe payment {payment.pk}: {problem}")
    refunds = Refund.objects.filter(payment__gateway="stripe", state=RefundState.SUCCEEDED)
    for refund in refunds.select_related("payment").order_by("pk"):
        payment = refund.payment
        expected = ProviderRecord(
            "succeeded", refund.amount, payment.currency, payment_intent=payment.provider_id
        )
        theirs = gateway.refund_record(refund.provider_id) if refund.provider_id else None
        if problem := _mismatch(refund.provider_id, expected, theirs):
            report.breaches.append(f"stripe refund {refund.pk}: {problem}")
    payouts = Payout.objects.filter(
        gateway="stripe", state__in=[PayoutState.SUCCEEDED, PayoutState.REVERSED]
    )
    for payout in payouts.order_by("pk"):
        expected = ProviderRecord(
            payout.state, payout.amount, payout.currency, destination=payout.destination
        )
        theirs = gateway.transfer_record(payout.provider_id) if payout.provider_id else None
        if problem := _mismatch(payout.provider_id, expected, theirs):
            report.breaches.append(f"stripe payout {payout.pk}: {problem}")
    report.checked = {
        "stripe payments": payments.count(),
        "stripe refunds": refunds.count(),
        "stripe payouts": payouts.count(),
        "wire payments and refunds (no provider: compare them with the bank statement)": _wire(
            report
        ),
    }
    return report
