"""Money tasks: take ids, re-load rows, safe to run twice, acknowledged late."""

from celery import shared_task
from django.db import OperationalError

from payouts.gateways import GatewayUnavailable
from payouts.services.inbox import gateway_event_process
from payouts.services.payments import refund_send
from payouts.services.payouts import payout_send


@shared_task(
    acks_late=True,
    autoretry_for=(GatewayUnavailable,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def execute_refund(refund_id: int) -> str:
    return refund_send(refund_id=refund_id).state


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def process_gateway_event(event_pk: int) -> str:
    """Apply a stored provider event (a lock timeout or deadlock is retried)."""
    return gateway_event_process(event_pk=event_pk).outcome


@shared_task(
    name="payouts.tasks.send_payout",
    acks_late=True,
    autoretry_for=(GatewayUnavailable,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_payout(payout_id: int) -> str:
    """Send one pending payout (one that waited for its payee's account)."""
    return payout_send(payout_id=payout_id).state
