from django.utils.translation import gettext as _

from payouts.gateways.base import PaymentOutcome, RefundOutcome, TransferOutcome


class WireGateway:
    """Bank transfers: real money that moves when people move it. The payer transfers
    pool + fee quoting the challenge's reference, and staff record the transfer when it
    arrives (`marketplace.escrow.wire`); a refund waits until staff record that they sent
    the money back. Nothing here talks to a provider, so nothing is ever taken, returned
    or paid out by this class itself."""

    name = "wire"
    test_money = False

    def start_payment(self, payment, *, payment_method: str | None = None) -> PaymentOutcome:
        return PaymentOutcome(status="pending")

    def refund(self, refund) -> RefundOutcome:
        return RefundOutcome(status="pending")

    def transfer(self, payout) -> TransferOutcome:
        return TransferOutcome(
            status="failed", failure_message=_("Prizes are not paid out by bank transfer.")
        )
