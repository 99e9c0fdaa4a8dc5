"""Reads for the winner's pages: a person's awards (as one `Claim` each) and the award
whose signed deeds someone may download. Anything else is a 404."""

from django.conf import settings
from django.http import Http404

from legal.models import Certificate
from marketplace.awards.models import Award, AwardRecipient
from marketplace.awards.services.deeds import deed_kind
from payouts.models import Payout
from payouts.selectors import payout_account_of
from payouts.services.tax import payout_ready, tax_form_current
from solvers.awards.claims import Claim


def _recipients(user):
    return AwardRecipient.objects.filter(user=user).select_related(
        "award__challenge__organization", "award__submission__team", "deed__void"
    )


def claims_for(user, *, award_id: int | None = None) -> list[Claim]:
    """The user's awards, newest first, with what each still needs from them. The tax
    form and payout details are the person's, shared by all their awards."""
    recipients = _recipients(user).order_by("-award__created_at", "-pk")
    if award_id is not None:
        recipients = recipients.filter(award_id=award_id)
    recipients = list(recipients)
    if not recipients:
        return []
    references = [r.award.reference for r in recipients]
    payouts: dict[str, list] = {}
    for payout in Payout.objects.filter(payee=user, reference__in=references).order_by("pk"):
        payouts.setdefault(payout.reference, []).append(payout)
    certificates = {
        c.reference: c for c in Certificate.objects.filter(recipient=user, reference__in=references)
    }
    tax_form = tax_form_current(user)
    ready = payout_ready(user, settings.PAYMENT_GATEWAY)
    account = payout_account_of(user, settings.PAYMENT_GATEWAY)
    return [
        Claim(
            recipient=r,
            deed_needed=deed_kind(r.award.challenge) is not None,
            tax_form=tax_form,
            payout_ready=ready,
            payout_waiting=account is not None and account.waiting,
            payouts=payouts.get(r.award.reference, []),
            certificate=certificates.get(r.award.reference),
        )
        for r in recipients
    ]


def claim_for(user, award_id: int) -> Claim:
    """The user's claim on one award; 404 unless they are one of its recipients."""
    found = claims_for(user, award_id=award_id)
    if not found:
        raise Http404
    return found[0]


def teammates_of(award: Award) -> list[AwardRecipient]:
    return list(award.recipients.select_related("user", "deed__void"))
