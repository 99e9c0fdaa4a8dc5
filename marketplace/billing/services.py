"""Issuing billing documents. A receipt is issued inside the transaction that confirms a
payment, a credit note inside the one that completes a refund (hooks named in
settings.PAYMENT_CONFIRMED_HOOKS and REFUND_DONE_HOOKS), a pro-forma invoice when an
owner or manager asks for one. Each takes the next number of the year under the
counter's lock and keeps every figure it shows, so it never changes afterwards."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.permissions import is_staff
from marketplace.billing.models import BillingDocument, DocumentKind
from marketplace.billing.numbering import number_take
from marketplace.billing.taxes import fee_split, tax_rate
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.permissions import is_editor
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.references import challenge_id_of, subject_of, wire_reference
from marketplace.organisations.models import Organization
from marketplace.organisations.permissions import is_org_editor
from payouts.fees import fee_schedule
from payouts.models import Payment, Refund
from payouts.selectors import funding_due

BILLING_FIELDS = ("billing_name", "billing_address", "tax_id")


def _snapshot(challenge: Challenge) -> dict:
    """What every document of the challenge shows: who issues it, to whom, and how the
    amount due is made up (pool, fee with its tiers, the tax the fee includes)."""
    org = challenge.organization
    due = funding_due(
        subject=subject_of(challenge), pool=challenge.prize_pool, currency=challenge.currency
    )
    rate = tax_rate()
    fee_net, tax = fee_split(due["fee"], rate)
    return {
        "issuer": dict(settings.MARKETPLACE_BILLING_ISSUER),
        "customer": {
            "name": org.billing_name or org.name,
            "address": org.billing_address,
            "tax_id": org.tax_id,
        },
        "challenge": {"id": challenge.pk, "title": challenge.title},
        "pool": due["pool"],
        "fee": due["fee"],
        "fee_net": fee_net,
        "tax": tax,
        "tax_rate": str(rate),
        "fee_tiers": fee_schedule()["tiers"],
        "total": due["total"],
        "received": due["received"],
        "outstanding": due["outstanding"],
    }


def _issue(
    *, kind: str, challenge: Challenge, amount: int, details: dict, **links
) -> BillingDocument:
    year = timezone.localdate().year
    return BillingDocument.objects.create(
        kind=kind,
        year=year,
        sequence=number_take(year=year),
        challenge=challenge,
        amount=amount,
        currency=challenge.currency,
        details=details,
        **links,
    )


def _challenge_of(subject: str) -> Challenge | None:
    pk = challenge_id_of(subject)
    return None if pk is None else Challenge.objects.filter(pk=pk).first()


def receipt_issue(*, payment: Payment) -> BillingDocument | None:
    """The receipt of a confirmed payment for a challenge (none for other subjects).
    Runs inside the confirming transaction; a second call returns the first receipt."""
    challenge = _challenge_of(payment.subject)
    if challenge is None:
        return None
    found = BillingDocument.objects.filter(kind=DocumentKind.RECEIPT, payment=payment).first()
    if found is not None:
        return found
    details = _snapshot(challenge) | {
        "payment": {
            "id": payment.pk,
            "gateway": payment.gateway,
            "provider_id": payment.provider_id,
            "test_money": payment.test_money,
            "received_on": timezone.localdate(payment.confirmed_at).isoformat(),
        }
    }
    return _issue(
        kind=DocumentKind.RECEIPT,
        challenge=challenge,
        amount=payment.amount,
        details=details,
        payment=payment,
    )


def credit_note_issue(*, refund: Refund) -> BillingDocument | None:
    """The credit note of a completed refund of a challenge's payment. Runs inside the
    refund's transaction; a second call returns the first credit note."""
    challenge = _challenge_of(refund.payment.subject)
    if challenge is None:
        return None
    found = BillingDocument.objects.filter(kind=DocumentKind.CREDIT_NOTE, refund=refund).first()
    if found is not None:
        return found
    receipt = BillingDocument.objects.filter(
        kind=DocumentKind.RECEIPT, payment_id=refund.payment_id
    ).first()
    details = _snapshot(challenge) | {
        "refund": {
            "id": refund.pk,
            "reason": refund.reason,
            "gateway": refund.payment.gateway,
            "provider_id": refund.provider_id,
            "from_escrow": refund.from_escrow,
            "from_funding": refund.from_funding,
            "completed_on": timezone.localdate(refund.completed_at).isoformat(),
            "receipt": receipt.number if receipt else "",
        }
    }
    return _issue(
        kind=DocumentKind.CREDIT_NOTE,
        challenge=challenge,
        amount=refund.amount,
        details=details,
        refund=refund,
    )


def proforma_issue(*, challenge_id: int, actor) -> BillingDocument:
    """A pro-forma invoice for what a challenge awaiting funding still needs, with its
    bank-transfer reference and the platform's bank details. Asking again while the
    amount due is the same returns the same invoice (no new number)."""
    with transaction.atomic(durable=True):
        challenge = (
            Challenge.objects.select_for_update()
            .select_related("organization")
            .get(pk=challenge_id)
        )
        if not (is_editor(actor, challenge) or is_staff(actor)):
            raise NotAllowed(_("Only owners and managers of the organisation can ask for one."))
        if challenge.state != ChallengeState.AWAITING_FUNDING:
            raise IllegalTransition(
                _("A pro-forma invoice is issued while the challenge awaits funding."),
                state=challenge.state,
                code="not_awaiting_funding",
            )
        details = _snapshot(challenge)
        if details["outstanding"] <= 0:
            raise IllegalTransition(
                _("The challenge is already fully funded."),
                state=challenge.state,
                code="already_funded",
            )
        latest = (
            BillingDocument.objects.filter(challenge=challenge, kind=DocumentKind.PROFORMA)
            .order_by("-pk")
            .first()
        )
        if latest is not None and latest.amount == details["outstanding"]:
            return latest
        details |= {
            "wire_reference": wire_reference(challenge.pk),
            "bank": dict(settings.WIRE_BANK_DETAILS),
        }
        return _issue(
            kind=DocumentKind.PROFORMA,
            challenge=challenge,
            amount=details["outstanding"],
            details=details,
        )


def organization_billing_update(
    *, organization_id: int, actor, billing_name: str, billing_address: str, tax_id: str
) -> Organization:
    """Owners and managers set who their documents are made out to. Documents already
    issued keep the details they were issued with."""
    values = {
        "billing_name": " ".join(billing_name.split()),
        "billing_address": billing_address.strip(),
        "tax_id": "".join(tax_id.split()).upper(),
    }
    limits = {name: Organization._meta.get_field(name).max_length for name in BILLING_FIELDS}
    errors = {
        name: [_("Keep this under %(limit)s characters.") % {"limit": limits[name]}]
        for name, value in values.items()
        if len(value) > limits[name]
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        org = Organization.objects.select_for_update().get(pk=organization_id)
        if not (is_org_editor(actor, org.pk) or is_staff(actor)):
            raise NotAllowed(_("Only owners and managers can change the billing details."))
        for name, value in values.items():
            setattr(org, name, value)
        org.save(update_fields=list(values))
    return org
