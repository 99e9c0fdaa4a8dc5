"""Bank transfers as staff report them: a transfer that arrived becomes a confirmed
payment through the wire gateway, and a refund staff sent back is done. Both run inside
the caller's transaction, which decides whether the money may be recorded."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from payouts.gateways.wire import WireGateway
from payouts.models import Payment, Refund, RefundState
from payouts.services.payments import payment_confirm, payment_record, refund_done

GATEWAY = WireGateway.name


def bank_reference_clean(text: str) -> str:
    """The bank's reference of a transfer as it is kept: spaces around it and repeated
    inside it dropped. An empty or too long one is a ValidationError."""
    reference = " ".join(text.split())
    if not reference:
        raise ValidationError({"bank_reference": [_("Give the bank's reference of the transfer.")]})
    if len(reference) > Payment._meta.get_field("provider_id").max_length:
        raise ValidationError({"bank_reference": [_("The bank's reference is too long.")]})
    return reference


def _already_recorded(reference: str) -> ValidationError:
    return ValidationError(
        {
            "bank_reference": [
                _("A transfer with the bank reference “%(reference)s” is already recorded.")
                % {"reference": reference}
            ]
        }
    )


def _refuse_if_recorded(reference: str) -> None:
    if (
        Payment.objects.filter(gateway=GATEWAY, provider_id__iexact=reference).exists()
        or Refund.objects.filter(payment__gateway=GATEWAY, provider_id__iexact=reference).exists()
    ):
        raise _already_recorded(reference)


def wire_payment_receive(
    *, subject: str, amount: int, currency: str, bank_reference: str, actor
) -> Payment:
    """Record a transfer that arrived as a payment through the wire gateway (its
    provider id is the bank's reference) and confirm it: `gateway:wire:clearing ->
    <subject>:funding`. A bank reference already recorded (for a payment or a refund) is
    refused. Two staff recording one reference at the same moment (for two challenges,
    whose locks do not meet) are held apart by the payment's unique key, which ignores
    case, and the unique (gateway, provider id): the second is refused the same way."""
    reference = bank_reference_clean(bank_reference)
    _refuse_if_recorded(reference)
    try:
        with transaction.atomic():
            payment = payment_record(
                subject=subject,
                amount=amount,
                currency=currency,
                actor=actor,
                gateway=GATEWAY,
                idempotency_key=f"{GATEWAY}:{reference.casefold()}",
            )
            kept = Payment.objects.filter(pk=payment.pk, provider_id="").update(
                provider_id=reference
            )
    except IntegrityError as exc:
        raise _already_recorded(reference) from exc
    except ValidationError as exc:
        if "idempotency_key" not in getattr(exc, "error_dict", {}):
            raise
        raise _already_recorded(reference) from exc
    if not kept:  # the key's payment was recorded and given this reference meanwhile
        raise _already_recorded(reference)
    return payment_confirm(payment_id=payment.pk)


def wire_refund_sent(*, refund: Refund, bank_reference: str) -> Refund:
    """Staff sent a pending wire refund back: keep the bank's reference of the transfer
    and post the refund (`refund_done`). `refund` is locked by the caller."""
    reference = bank_reference_clean(bank_reference)
    if refund.payment.gateway != GATEWAY:
        raise ValidationError(_("Only refunds of bank transfers are recorded by hand."))
    if refund.state != RefundState.PENDING:
        raise ValidationError(_("This refund is no longer waiting to be sent."))
    _refuse_if_recorded(reference)
    Refund.objects.filter(pk=refund.pk).update(provider_id=reference)
    return refund_done(refund_id=refund.pk)
