"""Provider webhooks: verified, stored as received, processed by a task after commit."""

import json

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import GatewayEvent
from .services.inbox import gateway_event_store
from .tasks import process_gateway_event


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """400 (nothing stored) unless Stripe signed this exact body; 200 once stored. A
    redelivery stores nothing new; an event not yet decided is queued again, and
    processing applies it only once."""
    try:
        stripe.Webhook.construct_event(
            request.body, request.headers.get("Stripe-Signature"), settings.STRIPE_WEBHOOK_SECRET
        )
        payload = json.loads(request.body)
        event, _created = gateway_event_store(
            gateway="stripe",
            event_id=payload.get("id"),
            event_type=payload.get("type"),
            payload=payload,
        )
    except (stripe.SignatureVerificationError, ValueError, AttributeError, ValidationError):
        # bad or missing signature, bad JSON, JSON that is not an object, no id or type
        return HttpResponseBadRequest()
    if event.outcome == GatewayEvent.Outcome.PENDING:
        transaction.on_commit(lambda: process_gateway_event.delay(event.pk))
    return HttpResponse(status=200)
