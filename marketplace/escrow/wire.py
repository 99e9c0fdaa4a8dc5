"""Funding by bank transfer. The Seeker transfers pool + fee quoting the challenge's
wire reference; staff record each transfer when it shows on the bank statement, and
record each refund they sent back. Money is posted through the wire gateway
(`payouts.services.wire`); every recording is a `ChallengeEvent` keeping who, when, the
date on the bank statement and the bank's reference."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.events import challenge_event_record
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.references import (
    challenge_id_of,
    challenge_id_of_wire_reference,
    subject_of,
    wire_reference,
)
from payouts.models import Payment, Refund
from payouts.services.wire import wire_payment_receive, wire_refund_sent

# Not yet approved: the Seeker has not been asked for money.
NOT_PAYABLE = (ChallengeState.DRAFT, ChallengeState.IN_REVIEW)


def _require_staff(actor) -> None:
    if not is_staff(actor):
        raise NotAllowed(_("Only staff record bank transfers."))


def _check_day(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: [_("The date cannot be in the future.")]})


def wire_challenge_of(reference: str) -> Challenge:
    """The challenge a wire reference names (not locked); a reference whose check digits
    are wrong, or that names no challenge, is a ValidationError on "reference"."""
    pk = challenge_id_of_wire_reference(reference)
    if pk is None:
        raise ValidationError(
            {
                "reference": [
                    _("“%(reference)s” is not a payment reference: check it for typing errors.")
                    % {"reference": reference}
                ]
            }
        )
    challenge = Challenge.objects.filter(pk=pk).first()
    if challenge is None:
        raise ValidationError(
            {
                "reference": [
                    _("No challenge has the reference “%(reference)s”.") % {"reference": reference}
                ]
            }
        )
    return challenge


def wire_transfer_record(
    *, reference: str, amount: int, received_on: date, bank_reference: str, actor
) -> Payment:
    """Staff record a bank transfer that arrived for the challenge `reference` names:
    a confirmed wire payment of `amount` (minor units of the challenge's currency).

    A partial transfer leaves the challenge partially funded; one beyond what is due
    is recorded in full and the rest stays in funding as excess, refundable once the
    challenge has opened (`challenge_refund_excess`). Money for a challenge that has
    ended (cancelled, no award) is recorded too and is refundable at once. A challenge
    not yet approved has asked nobody for money and is refused."""
    _require_staff(actor)
    _check_day(received_on, "received_on")
    challenge_id = wire_challenge_of(reference).pk
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        if challenge.state in NOT_PAYABLE:
            raise IllegalTransition(
                _("“%(title)s” is not approved yet: it cannot take money.")
                % {"title": challenge.title},
                state=challenge.state,
                code="not_payable",
            )
        payment = wire_payment_receive(
            subject=subject_of(challenge),
            amount=amount,
            currency=challenge.currency,
            bank_reference=bank_reference,
            actor=actor,
        )
        challenge_event_record(
            challenge=challenge,
            actor=actor,
            name="wire_transfer_record",
            details={
                "payment": payment.pk,
                "amount": payment.amount,
                "reference": wire_reference(challenge.pk),
                "bank_reference": payment.provider_id,
                "received_on": received_on.isoformat(),
            },
        )
    return payment


def wire_refund_record(*, refund_id: int, sent_on: date, bank_reference: str, actor) -> Refund:
    """Staff record that they sent a pending refund of a bank transfer back: the refund
    is done and posted out of the challenge's accounts."""
    _require_staff(actor)
    _check_day(sent_on, "sent_on")
    subject = Refund.objects.filter(pk=refund_id).values_list("payment__subject", flat=True).first()
    if subject is None:
        raise ValidationError(_("There is no such refund."))
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id_of(subject))
        refund = Refund.objects.select_for_update().select_related("payment").get(pk=refund_id)
        refund = wire_refund_sent(refund=refund, bank_reference=bank_reference)
        challenge_event_record(
            challenge=challenge,
            actor=actor,
            name="wire_refund_sent",
            details={
                "refund": refund.pk,
                "amount": refund.amount,
                "bank_reference": refund.provider_id,
                "sent_on": sent_on.isoformat(),
            },
        )
    return refund
