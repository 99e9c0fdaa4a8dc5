"""Verification and release: an award whose recipients have all signed the deed (or need
none) and have their details on file is verified, and released in the same action
unless a staff dispute froze it. Filing a winner's tax form or setting up payouts
rechecks their signed awards."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.permissions import is_staff
from marketplace.awards.models import Award, AwardRecipient, AwardState
from marketplace.awards.services.common import _lock, _log
from marketplace.awards.services.deeds import deed_kind
from marketplace.core.effects import task_queue_after_commit
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.references import subject_of
from payouts.gateways import get_gateway
from payouts.models import PayoutAccount, TaxForm
from payouts.services.connect import (
    payout_account_connect,
    payout_account_link,
    payout_account_refresh,
    payout_account_staff_link,
)
from payouts.services.ledger import LedgerError
from payouts.services.payouts import award_release_post
from payouts.services.tax import payout_account_set, payout_ready, tax_form_current, tax_form_submit


def recipient_verified(recipient: AwardRecipient) -> bool:
    """A tax form and a payout destination on file (nothing to pay: nothing needed)."""
    if recipient.amount == 0:
        return True
    return tax_form_current(recipient.user) is not None and payout_ready(
        recipient.user, settings.PAYMENT_GATEWAY
    )


def _advance(award: Award, actor) -> None:
    """Move an accepted award as far as its recipients allow: signed when every deed is
    signed (or none is needed), verified when everyone's details are on file, and then
    released at once unless a staff dispute froze it."""
    recipients = list(award.recipients.select_related("user"))
    if award.state == AwardState.ACCEPTED and (
        deed_kind(award.challenge) is None or all(r.deed_id for r in recipients)
    ):
        award.sign()
        award.deed_signed_at = timezone.now()
        award.save()
        _log(award, actor, "award_deed_signed")
    if award.state == AwardState.DEED_SIGNED and all(recipient_verified(r) for r in recipients):
        award.verify()
        award.verified_at = timezone.now()
        award.save()
        _log(award, actor, "award_verify")
    if award.state == AwardState.VERIFIED and award.released_at is None and not award.is_frozen:
        _release(award, actor, recipients)


def _release(award: Award, actor, recipients: list[AwardRecipient]) -> None:
    """Escrow -> each winner's payable in one ledger entry, one payout per winner, and
    the payout task queued after commit. Part of the action that verified the award
    (or ended its dispute): nobody has to press a button for a winner to be paid."""
    challenge = award.challenge
    try:
        award_release_post(
            subject=subject_of(challenge),
            reference=award.reference,
            currency=challenge.currency,
            parts=[(r.user_id, r.amount) for r in recipients if r.amount > 0],
            gateway=settings.PAYMENT_GATEWAY,
            actor=actor,
        )
    except LedgerError as exc:
        raise IllegalTransition(str(exc), state=award.state, code=exc.code) from exc
    award.released_at = timezone.now()
    award.released_by = actor
    award.save()
    _log(award, actor, "award_release", amount=award.amount)
    task_queue_after_commit("marketplace.tasks.pay_award", award.pk)


def awards_recheck_for(*, user) -> int:
    """After a winner files a tax form or payout details: verify (and so release) their
    signed awards that now have everything. Returns how many became verified."""
    verified = 0
    ids = list(
        Award.objects.filter(recipients__user=user, state=AwardState.DEED_SIGNED).values_list(
            "pk", flat=True
        )
    )
    for award_id in ids:
        with transaction.atomic(durable=True):
            award = _lock(award_id)
            if award.state == AwardState.DEED_SIGNED:
                _advance(award, user)
                verified += award.state == AwardState.VERIFIED
    return verified


def winner_tax_form_file(*, user, kind: str, data: dict) -> TaxForm:
    """File a winner's tax form, then verify their signed awards that waited for it."""
    filed = tax_form_submit(user=user, kind=kind, data=data)
    awards_recheck_for(user=user)
    return filed


def winner_payout_setup(*, user, refresh_url: str, return_url: str) -> str:
    """Start (or go on with) a winner's payout set-up through the site's gateway, then
    verify their signed awards that waited for an account. Stripe: their Express account
    is made once and the answer is the onboarding link Stripe hosts, which comes back to
    `return_url` (or `refresh_url` when the link is stale); their payouts wait until
    Stripe lets the account receive them. The local gateway needs nothing: "" (done)."""
    if get_gateway(settings.PAYMENT_GATEWAY).name == "local":
        payout_account_set(user=user, gateway="local", destination="")
        awards_recheck_for(user=user)
        return ""
    payout_account_connect(user=user)
    awards_recheck_for(user=user)
    return payout_account_link(user=user, refresh_url=refresh_url, return_url=return_url)


def winner_payout_setup_check(*, user) -> PayoutAccount:
    """Back from Stripe's onboarding: read the winner's account there and record it (their
    waiting payouts are sent if it can now receive them)."""
    return payout_account_refresh(user=user)


def staff_payout_account_link(*, user, destination: str, actor) -> PayoutAccount:
    """Staff link a winner's Stripe account id (audited), then verify the winner's signed
    awards that waited for an account."""
    if not is_staff(actor):
        raise NotAllowed(_("Only staff can link a payout account."))
    with transaction.atomic(durable=True):
        account = payout_account_staff_link(user=user, destination=destination, actor=actor)
    awards_recheck_for(user=user)
    return account
