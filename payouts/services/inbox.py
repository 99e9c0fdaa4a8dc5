"""The gateway inbox. A provider's event is stored as received (`gateway_event_store`),
then applied once through the payment services (`gateway_event_process`), whatever
the order in which the provider delivers its events:

- a success after a failure confirms the payment; a failure after a success changes
  nothing (`payment_fail` never undoes money that arrived);
- a declined try (`payment_intent.payment_failed` with the intent back at
  "requires_payment_method") leaves the payment on its way: the payer confirms the same
  intent with another card; only a cancelled intent fails it;
- the same event twice is stored once and applied once;
- a refund reported done while its payment is not yet confirmed here waits (the event
  stays pending) and is applied when that payment's success is processed;
- a transfer (a payout) reported created or updated confirms its payout; one reported
  reversed confirms it first if need be, then reverses it, so a late "created" after a
  "reversed" changes nothing;
- a connected account reported updated is recorded only if the event is newer (its
  `created`) than what is stored of the account, so replays and late deliveries change
  nothing; an account that becomes able to receive payouts gets its waiting payouts sent.

An event naming a payment, refund or payout we do not know is flagged "unknown"; one
that names a known object but does not match it (amount, currency, destination,
provider id) is flagged "failed", as is money sent for a cancelled payout or a partial
reversal. So is an event that cannot be applied at all: one whose object is missing or
has fields of the wrong types, or whose application raised an error (its changes are
rolled back). Neither moves any money: staff look at them, with the reason in `note`."""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payouts.gateways.stripe_connect import account_state
from payouts.models import (
    GatewayEvent,
    Payment,
    PaymentState,
    Payout,
    PayoutState,
    Refund,
    RefundState,
)
from payouts.services.connect import payout_account_state_record
from payouts.services.payments import payment_confirm, payment_fail, refund_done, refund_fail
from payouts.services.payouts import payout_confirm, payout_reverse

Outcome = GatewayEvent.Outcome

PAYMENT_SUCCEEDED = "payment_intent.succeeded"
PAYMENT_FAILED = ("payment_intent.payment_failed", "payment_intent.canceled")
# An intent whose confirmation failed but which can be confirmed again.
RETRYABLE = ("requires_payment_method",)
REFUND_EVENTS = ("refund.created", "refund.updated", "refund.failed")
CHARGE_REFUNDED = "charge.refunded"
TRANSFER_EVENTS = ("transfer.created", "transfer.updated", "transfer.reversed")
ACCOUNT_UPDATED = "account.updated"

# The fields read from each kind of object and their JSON types; a field may be absent or
# null. A dict is an object with those fields, a one-item list a list of that shape.
METADATA = "metadata"  # an object of strings
INTENT = {
    "id": str,
    "status": str,
    "amount": int,
    "currency": str,
    "metadata": METADATA,
    "last_payment_error": {"message": str},
}
REFUND = {
    "id": str,
    "amount": int,
    "status": str,
    "payment_intent": str,
    "failure_reason": str,
    "metadata": METADATA,
}
TRANSFER = {
    "id": str,
    "amount": int,
    "currency": str,
    "destination": str,
    "amount_reversed": int,
    "reversed": bool,
    "metadata": METADATA,
}
ACCOUNT = {
    "id": str,
    "payouts_enabled": bool,
    "details_submitted": bool,
    "requirements": {"currently_due": [str], "past_due": [str], "disabled_reason": str},
}
SHAPES = {
    PAYMENT_SUCCEEDED: INTENT,
    **dict.fromkeys(PAYMENT_FAILED, INTENT),
    **dict.fromkeys(REFUND_EVENTS, REFUND),
    CHARGE_REFUNDED: {"refunds": {"data": [REFUND]}},
    **dict.fromkeys(TRANSFER_EVENTS, TRANSFER),
    ACCOUNT_UPDATED: ACCOUNT,
}
TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false"}

logger = logging.getLogger(__name__)

# When one event carries several refunds, the event takes the first of these outcomes
# that any of them has: waiting wins so that the whole event is looked at again.
PRECEDENCE = (Outcome.PENDING, Outcome.FAILED, Outcome.UNKNOWN, Outcome.PROCESSED, Outcome.IGNORED)


@dataclass
class Result:
    outcome: str
    note: str = ""
    unblocks: list[int] = field(default_factory=list)


def gateway_event_store(
    *, gateway: str, event_id, event_type, payload
) -> tuple[GatewayEvent, bool]:
    """Store a verified provider event once; return (event, created). A redelivery
    returns the stored event and stores nothing."""
    for value in (event_id, event_type):
        if not isinstance(value, str) or not 0 < len(value) <= 100:
            raise ValidationError(_("A provider event needs an id and a type."))
    return GatewayEvent.objects.get_or_create(
        gateway=gateway,
        event_id=event_id,
        defaults={"type": event_type, "payload": payload},
    )


def gateway_event_process(*, event_pk: int) -> GatewayEvent:
    """Apply a stored event (locked; an event already decided is left alone). Events
    that waited for a payment this event confirms are processed right after."""
    with transaction.atomic():
        event = GatewayEvent.objects.select_for_update().get(pk=event_pk)
        if event.outcome != Outcome.PENDING:
            return event
        result = _apply_safely(event)
        event.outcome = result.outcome
        event.note = result.note[:500]
        if result.outcome != Outcome.PENDING:
            event.processed_at = timezone.now()
        event.save(update_fields=["outcome", "note", "processed_at"])
    for waiting in result.unblocks:
        gateway_event_process(event_pk=waiting)
    return event


def _apply_safely(event: GatewayEvent) -> Result:
    """The event applied, or else failed with the reason: malformed, or an error while
    applying it (whatever it had changed is rolled back). A lock time-out or deadlock
    is raised, for the task to try again."""
    problem = _malformed(event)
    if problem:
        return Result(Outcome.FAILED, f"malformed event: {problem}")
    try:
        with transaction.atomic():
            return _apply(event)
    except OperationalError:
        raise
    except Exception as exc:  # any error: the event is failed and shown to staff
        logger.exception("gateway event %s could not be applied", event.pk)
        return Result(Outcome.FAILED, f"could not be applied: {type(exc).__name__}: {exc}")


def _malformed(event: GatewayEvent) -> str:
    """Why a Stripe event of a kind we apply does not have the shape we read, or ""."""
    shape = SHAPES.get(event.type)
    if event.gateway != "stripe" or shape is None:
        return ""
    data = event.payload.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        return "data.object is missing or not an object"
    return _shape_problem(data["object"], shape, "data.object")


def _shape_problem(value, shape, path: str) -> str:
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return f"{path} is not an object"
        for name, inner in shape.items():
            if value.get(name) is not None:
                problem = _shape_problem(value[name], inner, f"{path}.{name}")
                if problem:
                    return problem
        return ""
    if isinstance(shape, list):
        if not isinstance(value, list):
            return f"{path} is not a list"
        for index, item in enumerate(value):
            problem = _shape_problem(item, shape[0], f"{path}.{index}")
            if problem:
                return problem
        return ""
    if shape == METADATA:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            return f"{path} is not an object of strings"
        return ""
    if not isinstance(value, shape) or (shape is int and isinstance(value, bool)):
        return f"{path} is not {TYPE_NAMES[shape]}"
    return ""


def _apply(event: GatewayEvent) -> Result:
    if event.gateway != "stripe":
        return Result(Outcome.IGNORED, f"no processing for gateway {event.gateway}")
    obj = event.payload["data"]["object"] if event.type in SHAPES else {}
    if event.type == PAYMENT_SUCCEEDED or event.type in PAYMENT_FAILED:
        return _payment_event(event, obj)
    if event.type in REFUND_EVENTS:
        return _refund_object(obj)
    if event.type == CHARGE_REFUNDED:
        refunds = (obj.get("refunds") or {}).get("data") or []
        if not refunds:
            return Result(Outcome.IGNORED, "no refunds listed; refund events carry them")
        return _combine([_refund_object(refund) for refund in refunds])
    if event.type in TRANSFER_EVENTS:
        return _transfer_object(obj)
    if event.type == ACCOUNT_UPDATED:
        return _account_object(event, obj)
    return Result(Outcome.IGNORED, f"{event.type} needs no action")


def _combine(results: list[Result]) -> Result:
    outcome = min((r.outcome for r in results), key=PRECEDENCE.index)
    return Result(outcome, "; ".join(r.note for r in results))


def _pk(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _payment_for(intent: dict) -> tuple[Payment | None, str]:
    """Our payment behind a PaymentIntent: by the `payment` we put in its metadata,
    else by its id. A payment that belongs to another intent or subject is not it."""
    intent_id = intent.get("id") or ""
    metadata = intent.get("metadata") or {}
    if not intent_id:
        return None, "no PaymentIntent id"
    if "payment" not in metadata:
        payment = Payment.objects.filter(gateway="stripe", provider_id=intent_id).first()
        return payment, "" if payment else f"no payment for {intent_id}"
    payment = Payment.objects.filter(gateway="stripe", pk=_pk(metadata["payment"])).first()
    if payment is None:
        return None, f"no payment {metadata['payment']} (named by {intent_id})"
    if payment.provider_id not in ("", intent_id):
        return None, f"payment {payment.pk} belongs to {payment.provider_id}, not {intent_id}"
    if metadata.get("subject", payment.subject) != payment.subject:
        return None, f"payment {payment.pk} is for {payment.subject}, not {metadata['subject']}"
    taken = Payment.objects.filter(gateway="stripe", provider_id=intent_id).exclude(pk=payment.pk)
    if taken.exists():
        return None, f"{intent_id} belongs to another payment"
    return payment, ""


def _payment_event(event: GatewayEvent, intent: dict) -> Result:
    payment, problem = _payment_for(intent)
    if payment is None:
        return Result(Outcome.UNKNOWN, problem)
    intent_id = intent["id"]
    if event.type in PAYMENT_FAILED:
        _remember_intent(payment.pk, intent_id)
        error = intent.get("last_payment_error") or {}
        if event.type == "payment_intent.payment_failed" and intent.get("status") in RETRYABLE:
            # A declined try: Stripe keeps the intent for another card, and so the payment
            # stays on its way (the payer's next card confirms the same intent).
            return Result(
                Outcome.PROCESSED,
                f"payment {payment.pk}: a try was declined; {intent_id} awaits another card",
            )
        payment = payment_fail(payment_id=payment.pk, message=error.get("message") or "")
        return Result(Outcome.PROCESSED, f"payment {payment.pk} is {payment.state}")
    if (intent.get("amount"), str(intent.get("currency", "")).upper()) != (
        payment.amount,
        payment.currency,
    ):
        return Result(
            Outcome.FAILED,
            f"payment {payment.pk} is {payment.amount} {payment.currency}; {intent_id} is "
            f"{intent.get('amount')} {intent.get('currency')}",
        )
    _remember_intent(payment.pk, intent_id)
    payment_confirm(payment_id=payment.pk)
    waiting = (
        GatewayEvent.objects.filter(
            gateway="stripe",
            outcome=Outcome.PENDING,
            payload__data__object__payment_intent=intent_id,
        )
        .exclude(pk=event.pk)
        .order_by("pk")
    )
    return Result(
        Outcome.PROCESSED,
        f"payment {payment.pk} confirmed",
        unblocks=list(waiting.values_list("pk", flat=True)),
    )


def _remember_intent(payment_id: int, intent_id: str) -> None:
    """A payment whose gateway answer was lost learns its provider id from the event."""
    Payment.objects.filter(pk=payment_id, provider_id="").update(provider_id=intent_id)


def _refund_for(obj: dict) -> tuple[Refund | None, str]:
    """Our refund behind a Stripe refund: by the `refund` in its metadata, else by id."""
    refund_id = obj.get("id") or ""
    metadata = obj.get("metadata") or {}
    refunds = Refund.objects.select_related("payment").filter(payment__gateway="stripe")
    if not refund_id:
        return None, "no refund id"
    if "refund" not in metadata:
        refund = refunds.filter(provider_id=refund_id).first()
        return refund, "" if refund else f"no refund for {refund_id}"
    refund = refunds.filter(pk=_pk(metadata["refund"])).first()
    if refund is None:
        return None, f"no refund {metadata['refund']} (named by {refund_id})"
    if refund.provider_id not in ("", refund_id):
        return None, f"refund {refund.pk} belongs to {refund.provider_id}, not {refund_id}"
    intent_id = obj.get("payment_intent")
    if intent_id and refund.payment.provider_id not in ("", intent_id):
        return None, f"refund {refund.pk} is of {refund.payment.provider_id}, not {intent_id}"
    return refund, ""


def _refund_object(obj: dict) -> Result:
    refund, problem = _refund_for(obj)
    if refund is None:
        return Result(Outcome.UNKNOWN, problem)
    status = obj.get("status")
    if status == "succeeded":
        if obj.get("amount") != refund.amount:
            return Result(
                Outcome.FAILED,
                f"refund {refund.pk} is {refund.amount}; {obj.get('id')} is {obj.get('amount')}",
            )
        if refund.payment.state != PaymentState.SUCCEEDED:
            return Result(Outcome.PENDING, f"refund {refund.pk} waits for its payment")
        Refund.objects.filter(pk=refund.pk, provider_id="").update(provider_id=obj.get("id", ""))
        refund_done(refund_id=refund.pk)
        return Result(Outcome.PROCESSED, f"refund {refund.pk} done")
    if status in ("failed", "canceled"):
        if refund.state == RefundState.SUCCEEDED:
            return Result(
                Outcome.FAILED,
                f"refund {refund.pk} was recorded as done but Stripe reports it {status}",
            )
        refund_fail(refund_id=refund.pk, message=obj.get("failure_reason") or status)
        return Result(Outcome.PROCESSED, f"refund {refund.pk} failed")
    return Result(Outcome.IGNORED, f"refund {refund.pk} is {status} at Stripe")


def _payout_for(obj: dict) -> tuple[Payout | None, str]:
    """Our payout behind a Stripe transfer: by the `payout` in its metadata, else by id.
    A payout that belongs to another transfer or award is not it."""
    transfer_id = obj.get("id") or ""
    metadata = obj.get("metadata") or {}
    payouts = Payout.objects.filter(gateway="stripe")
    if not transfer_id:
        return None, "no transfer id"
    if "payout" not in metadata:
        payout = payouts.filter(provider_id=transfer_id).first()
        return payout, "" if payout else f"no payout for {transfer_id}"
    payout = payouts.filter(pk=_pk(metadata["payout"])).first()
    if payout is None:
        return None, f"no payout {metadata['payout']} (named by {transfer_id})"
    if payout.provider_id not in ("", transfer_id):
        return None, f"payout {payout.pk} belongs to {payout.provider_id}, not {transfer_id}"
    if metadata.get("reference", payout.reference) != payout.reference:
        return None, f"payout {payout.pk} is for {payout.reference}, not {metadata['reference']}"
    if payouts.filter(provider_id=transfer_id).exclude(pk=payout.pk).exists():
        return None, f"{transfer_id} belongs to another payout"
    return payout, ""


def _transfer_object(obj: dict) -> Result:
    payout, problem = _payout_for(obj)
    if payout is None:
        return Result(Outcome.UNKNOWN, problem)
    transfer_id = obj["id"]
    theirs = (obj.get("amount"), str(obj.get("currency", "")).upper(), obj.get("destination"))
    if theirs != (payout.amount, payout.currency, payout.destination):
        return Result(
            Outcome.FAILED,
            f"payout {payout.pk} is {payout.amount} {payout.currency} to {payout.destination}; "
            f"{transfer_id} is {theirs[0]} {theirs[1]} to {theirs[2]}",
        )
    if payout.state == PayoutState.CANCELLED:
        return Result(Outcome.FAILED, f"payout {payout.pk} was cancelled but {transfer_id} paid it")
    if obj.get("amount_reversed") and not obj.get("reversed"):
        return Result(
            Outcome.FAILED,
            f"{transfer_id} of payout {payout.pk} is partly reversed ({obj['amount_reversed']})",
        )
    payout = payout_confirm(payout_id=payout.pk, provider_id=transfer_id)
    if obj.get("reversed"):
        payout = payout_reverse(payout_id=payout.pk, reason=f"Stripe reversed {transfer_id}")
    return Result(Outcome.PROCESSED, f"payout {payout.pk} is {payout.state}")


def _account_object(event: GatewayEvent, obj: dict) -> Result:
    created = event.payload.get("created")
    if not isinstance(created, int) or isinstance(created, bool) or not obj.get("id"):
        return Result(Outcome.FAILED, "an account event needs its account id and created time")
    state = account_state(obj, at=datetime.fromtimestamp(created, UTC))
    account = payout_account_state_record(state=state)
    if account is None:
        return Result(Outcome.UNKNOWN, f"no payout account {obj['id']}")
    if account.state_at != state.at:
        return Result(Outcome.PROCESSED, f"{obj['id']}: a newer state is on file")
    return Result(
        Outcome.PROCESSED, f"{obj['id']}: payouts {'enabled' if state.payouts_enabled else 'off'}"
    )
