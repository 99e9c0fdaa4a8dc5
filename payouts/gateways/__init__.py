"""Payment gateways behind one interface. A gateway only talks to its provider and
describes what happened; `payouts.services.payments` and `payouts.services.payouts`
record it."""

from django.conf import settings

from payouts.gateways.base import (
    Gateway,
    GatewayRefused,
    GatewayUnavailable,
    PaymentOutcome,
    RefundOutcome,
    TransferOutcome,
)
from payouts.gateways.local import LocalGateway
from payouts.gateways.stripe import StripeGateway
from payouts.gateways.wire import WireGateway

__all__ = [
    "Gateway",
    "GatewayRefused",
    "GatewayUnavailable",
    "PaymentOutcome",
    "RefundOutcome",
    "TransferOutcome",
    "get_gateway",
]


def get_gateway(name: str | None = None) -> Gateway:
    name = name or settings.PAYMENT_GATEWAY
    if name == "local":
        return LocalGateway()
    if name == "stripe":
        return StripeGateway()
    if name == "wire":
        return WireGateway()
    raise ValueError(f"unknown payment gateway {name!r}")
