from .inbox import GatewayEvent
from .ledger import Account, AccountPurpose, Entry, Leg
from .payments import Payment, PaymentState, Refund, RefundState

__all__ = [
    "Account",
    "AccountPurpose",
    "Entry",
    "GatewayEvent",
    "Leg",
    "Payment",
    "PaymentState",
    "Refund",
    "RefundState",
]
