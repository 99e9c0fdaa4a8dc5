from .inbox import GatewayEvent
from .ledger import Account, AccountPurpose, Entry, Leg
from .payments import Payment, PaymentState, Refund, RefundState
from .payouts import Payout, PayoutAccount, PayoutState
from .tax import TaxClassification, TaxForm, TaxFormKind, TinKind

__all__ = [
    "Account",
    "AccountPurpose",
    "Entry",
    "GatewayEvent",
    "Leg",
    "Payment",
    "PaymentState",
    "Payout",
    "PayoutAccount",
    "PayoutState",
    "Refund",
    "RefundState",
    "TaxClassification",
    "TaxForm",
    "TaxFormKind",
    "TinKind",
]
