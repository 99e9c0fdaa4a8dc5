"""Stripe through its official library: PaymentIntents for funding, Refunds for money
back, Connect Transfers to pay winners. Every call carries the configured key, API base and retry count and an
idempotency key, so a retry (the library's own or ours) can never charge twice."""

from dataclasses import dataclass

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from payouts.gateways.base import GatewayUnavailable, PaymentOutcome, RefundOutcome, TransferOutcome

# Seconds to wait for Stripe's answer before the library retries (its default is 80).
TIMEOUT_SECONDS = 30

PENDING_INTENT = {
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "processing",
}
PENDING_REFUND = {"pending", "requires_action"}


@dataclass(frozen=True)
class ProviderRecord:
    """What Stripe holds for one of our payments, refunds or payouts."""

    status: str
    amount: int
    currency: str
    payment_intent: str = ""  # a refund's PaymentIntent
    destination: str = ""  # a transfer's connected account


def stripe_client() -> stripe.StripeClient:
    """A client with the configured key, API base, retries and time-out."""
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
    )


def unavailable(exc: stripe.StripeError) -> bool:
    """No answer, or one that says "try again later": nothing is known to have happened.
    An idempotency conflict is one too: another request is sending the same payment (or
    sent it with other parameters, such as another card) and its answer is recorded
    when it comes; asking again later returns it."""
    if isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError | stripe.IdempotencyError):
        return True
    return isinstance(exc, stripe.APIError) and (exc.http_status or 500) >= 500


class StripeGateway:
    name = "stripe"

    def __init__(self):
        self.test_money = settings.STRIPE_SECRET_KEY.startswith("sk_test_")
        self.client = stripe_client()

    def start_payment(self, payment, *, payment_method: str | None = None) -> PaymentOutcome:
        params = {
            "amount": payment.amount,
            "currency": payment.currency.lower(),
            "metadata": {"subject": payment.subject, "payment": str(payment.pk)},
        }
        if payment_method:
            params.update(payment_method=payment_method, confirm=True)
        try:
            intent = self.client.v1.payment_intents.create(
                params, {"idempotency_key": payment.idempotency_key}
            )
        except stripe.CardError as exc:
            declined = exc.error.payment_intent if exc.error else None
            return PaymentOutcome(
                status="failed",
                provider_id=declined.id if declined else "",
                failure_message=exc.user_message or str(exc),
            )
        except stripe.InvalidRequestError as exc:
            return PaymentOutcome(status="failed", failure_message=exc.user_message or str(exc))
        except stripe.StripeError as exc:
            if unavailable(exc):
                raise GatewayUnavailable(str(exc)) from exc
            raise
        if intent.status == "succeeded":
            return PaymentOutcome(status="succeeded", provider_id=intent.id)
        if intent.status in PENDING_INTENT:
            return PaymentOutcome(
                status="pending",
                provider_id=intent.id,
                client_secret=intent.client_secret or "",
                next_action="confirm_card_payment",
            )
        return PaymentOutcome(
            status="failed",
            provider_id=intent.id,
            failure_message=_("Stripe cancelled the payment."),
        )

    def refund(self, refund) -> RefundOutcome:
        params = {
            "payment_intent": refund.payment.provider_id,
            "amount": refund.amount,
            "metadata": {"refund": str(refund.pk)},
        }
        try:
            result = self.client.v1.refunds.create(
                params, {"idempotency_key": f"refund:{refund.pk}"}
            )
        except stripe.InvalidRequestError as exc:
            return RefundOutcome(status="failed", failure_message=exc.user_message or str(exc))
        except stripe.StripeError as exc:
            if unavailable(exc):
                raise GatewayUnavailable(str(exc)) from exc
            raise
        if result.status == "succeeded":
            return RefundOutcome(status="succeeded", provider_id=result.id)
        if result.status in PENDING_REFUND:
            return RefundOutcome(status="pending", provider_id=result.id)
        return RefundOutcome(
            status="failed",
            provider_id=result.id,
            failure_message=getattr(result, "failure_reason", None)
            or _("Stripe could not return the money."),
        )

    def transfer(self, payout) -> TransferOutcome:
        """A Connect transfer from the platform's balance to the payee's account. Stripe
        creates it at once or refuses it; a reversal is reported later by webhook."""
        if not payout.destination:
            return TransferOutcome(
                status="failed", failure_message=_("The payee has no Stripe account on file.")
            )
        params = {
            "amount": payout.amount,
            "currency": payout.currency.lower(),
            "destination": payout.destination,
            "transfer_group": payout.transfer_group,
            "metadata": {"payout": str(payout.pk), "reference": payout.reference},
        }
        try:
            result = self.client.v1.transfers.create(
                params, {"idempotency_key": f"payout:{payout.key}"}
            )
        except stripe.InvalidRequestError as exc:
            return TransferOutcome(status="failed", failure_message=exc.user_message or str(exc))
        except stripe.StripeError as exc:
            if unavailable(exc):
                raise GatewayUnavailable(str(exc)) from exc
            raise
        return TransferOutcome(status="succeeded", provider_id=result.id)

    def payment_record(self, provider_id: str) -> ProviderRecord | None:
        """Stripe's PaymentIntent `provider_id`, or None if Stripe does not know it."""
        intent = _retrieve(self.client.v1.payment_intents.retrieve, provider_id)
        if intent is None:
            return None
        return ProviderRecord(intent.status, intent.amount, intent.currency.upper())

    def refund_record(self, provider_id: str) -> ProviderRecord | None:
        """Stripe's Refund `provider_id`, or None if Stripe does not know it."""
        refund = _retrieve(self.client.v1.refunds.retrieve, provider_id)
        if refund is None:
            return None
        return ProviderRecord(
            refund.status,
            refund.amount,
            refund.currency.upper(),
            payment_intent=getattr(refund, "payment_intent", None) or "",
        )

    def transfer_record(self, provider_id: str) -> ProviderRecord | None:
        """Stripe's Transfer `provider_id` ("succeeded", "partially_reversed" or
        "reversed"), or None if Stripe does not know it."""
        found = _retrieve(self.client.v1.transfers.retrieve, provider_id)
        if found is None:
            return None
        if found.reversed:
            status = "reversed"
        elif found.amount_reversed:
            status = "partially_reversed"
        else:
            status = "succeeded"
        return ProviderRecord(
            status, found.amount, found.currency.upper(), destination=found.destination or ""
        )


def _retrieve(retrieve, provider_id: str):
    try:
        return retrieve(provider_id)
    except stripe.InvalidRequestError as exc:
        if exc.http_status == 404:
            return None
        raise
    except stripe.StripeError as exc:
        if unavailable(exc):
            raise GatewayUnavailable(str(exc)) from exc
        raise
