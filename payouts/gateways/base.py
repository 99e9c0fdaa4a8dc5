from dataclasses import dataclass
from typing import Literal, Protocol

Status = Literal["succeeded", "pending", "failed"]


class GatewayUnavailable(Exception):
    """The provider did not answer (time-out, 5xx) even after retries. Nothing is known
    to have happened; a retry with the same idempotency key is safe."""


class GatewayRefused(Exception):
    """The provider answered and refused the request (say, Connect is not enabled on the
    platform's account). Asking again the same way will not help; the message is the
    provider's."""


@dataclass(frozen=True)
class PaymentOutcome:
    status: Status
    provider_id: str = ""
    client_secret: str = ""
    next_action: str = ""  # what the payer must still do, e.g. "confirm_card_payment"
    failure_message: str = ""


@dataclass(frozen=True)
class RefundOutcome:
    status: Status
    provider_id: str = ""
    failure_message: str = ""


@dataclass(frozen=True)
class TransferOutcome:
    """A transfer is done or refused when the provider answers; it never waits."""

    status: Literal["succeeded", "failed"]
    provider_id: str = ""
    failure_message: str = ""


class Gateway(Protocol):
    name: str
    test_money: bool

    def start_payment(self, payment, *, payment_method: str | None = None) -> PaymentOutcome:
        """Ask the provider to take `payment.amount` (idempotency key: payment.idempotency_key)."""

    def refund(self, refund) -> RefundOutcome:
        """Return `refund.amount` of `refund.payment` (idempotency key: f"refund:{refund.pk}")."""

    def transfer(self, payout) -> TransferOutcome:
        """Send `payout.amount` to `payout.destination` (idempotency key: f"payout:{payout.key}")."""
