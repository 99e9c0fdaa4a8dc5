"""Money tasks: take ids, re-load rows, safe to run twice, acknowledged late."""

from celery import shared_task

from .gateways import GatewayUnavailable
from .services.payments import refund_send


@shared_task(
    acks_late=True,
    autoretry_for=(GatewayUnavailable,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def execute_refund(refund_id: int) -> str:
    return refund_send(refund_id=refund_id).state
