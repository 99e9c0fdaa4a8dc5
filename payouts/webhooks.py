"""Provider webhooks: verified, stored as received, processed by a task after commit."""

import json
import time

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payouts.models import GatewayEvent
from payouts.services.inbox import gateway_event_store
from payouts.tasks import process_gateway_event

# Seconds a signature's timestamp may be away from our clock, either way (the stripe
# library checks only the past).
TOLERANCE_SECONDS = stripe.Webhook.DEFAULT_TOLERANCE


def _verify(body: bytes, header: str | None) -> None:
    """Raise SignatureVerificationError unless Stripe signed this exact body within the
    tolerance of now."""
    stripe.WebhookSignature.verify_header(
        body, header, settings.STRIPE_WEBHOOK_SECRET, TOLERANCE_SECONDS
    )
    # verify_header read the same "t=" item, so it is there and a number.
    signed_at = int(next(item[2:] for item in header.split(",") if item.startswith("t=")))
    if signed_at > time.time() + TOLERANCE_SECONDS:
        raise stripe.SignatureVerificationError(
            f"Timestamp in the future ({signed_at})", header, body
        )


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """400 (nothing stored) unless Stripe signed this exact body; 200 once stored. A
    redelivery stores nothing new; an event not yet decided is queued again, and
    processing applies it only once (or marks it failed, for staff to look at)."""
    try:
        _verify(request.body, request.headers.get("Stripe-Signature"))
        payload = json.loads(request.body)
        event, _created = gateway_event_store(
            gateway="stripe",
            event_id=payload.get("id"),
            event_type=payload.get("type"),
            payload=payload,
        )
    except (
        stripe.SignatureVerificationError,
        ValueError,
        RecursionError,
        AttributeError,
        ValidationError,
    ):
        # bad or missing signature, not UTF-8, bad or too deeply nested JSON, JSON that
        # is not an object, no id or type
        return HttpResponseBadRequest()
    if event.outcome == GatewayEvent.Outcome.PENDING:
        transaction.on_commit(lambda: process_gateway_event.delay(event.pk))
    return HttpResponse(status=200)
