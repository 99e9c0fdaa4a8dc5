from payouts.gateways.base import PaymentOutcome, RefundOutcome, TransferOutcome


class LocalGateway:
    """The embedded default: test money that moves at once. Every payment it takes is
    marked as test money and says so on the page."""

    name = "local"
    test_money = True

    def start_payment(self, payment, *, payment_method: str | None = None) -> PaymentOutcome:
        return PaymentOutcome(status="succeeded", provider_id=f"local_pay_{payment.pk}")

    def refund(self, refund) -> RefundOutcome:
        return RefundOutcome(status="succeeded", provider_id=f"local_refund_{refund.pk}")

    def transfer(self, payout) -> TransferOutcome:
        return TransferOutcome(status="succeeded", provider_id=f"local_tr_{payout.pk}")
