from payouts.models.inbox import GatewayEvent
from payouts.models.ledger import Account, AccountPurpose, Entry, Leg
from payouts.models.payments import Payment, PaymentState, Refund, RefundState
from payouts.models.payouts import Payout, PayoutAccount, PayoutAccountLink, PayoutState
from payouts.models.tax import TaxClassification, TaxForm, TaxFormKind, TinKind

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
    "PayoutAccountLink",
    "PayoutState",
    "Refund",
    "RefundState",
    "TaxClassification",
    "TaxForm",
    "TaxFormKind",
    "TinKind",
]
