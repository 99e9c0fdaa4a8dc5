"""Money out to winners. `award_release_post` moves a released award from the subject's
escrow to each payee's payable account and creates their pending payouts; `payout_send`
calls the gateway outside any database transaction; what it (or a webhook) reports
comes back through `payout_confirm`, `payout_fail` and `payout_reverse`, each of which
locks its row, re-checks and returns if already done. `payouts_cancel` puts a forfeited
award's unpaid money back into escrow."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from payouts.accounts import clearing_account, payable_account, subject_account
from payouts.currency import check_currency
from payouts.gateways import GatewayUnavailable, get_gateway
from payouts.models import AccountPurpose, Payout, PayoutState
from payouts.selectors import payout_waits_for_setup
from payouts.services.ledger import LedgerError, LegSpec, entry_post, transfer
from payouts.services.tax import payout_destination

S = PayoutState


class PayoutCancelled(LedgerError):
    """Money was reported sent for a cancelled payout (its award was forfeited and the
    money put back into escrow). Nothing is posted; staff must look into it."""

    code = "payout_cancelled"


def _whole_positive(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _checked_parts(parts) -> list[tuple[int, int]]:
    checked = []
    for part in parts:
        if not (
            isinstance(part, tuple | list) and len(part) == 2 and all(map(_whole_positive, part))
        ):
            raise ValidationError(
                {"parts": [_("Each part is a payee's id and an amount more than zero.")]}
            )
        checked.append((part[0], part[1]))
    if not checked:
        raise ValidationError({"parts": [_("An award is paid to at least one person.")]})
    if len({payee for payee, _amount in checked}) != len(checked):
        raise ValidationError({"parts": [_("Each payee may appear only once.")]})
    return checked


def award_release_post(
    *,
    subject: str,
    reference: str,
    currency: str,
    parts: list[tuple[int, int]],
    gateway: str | None = None,
    actor=None,
) -> list[Payout]:
    """Release award `reference` (e.g. "award:7") from `subject`'s escrow: one entry
    with a leg per payee (`parts`: [(user id, amount), ...]) and one pending payout each,
    paid through `gateway` to the payee's account on file. InsufficientFunds if escrow
    holds too little (nothing posted). Calling it again returns the same payouts and
    posts nothing. Runs inside the caller's transaction; send the payouts after commit."""
    check_currency(currency)
    parts = _checked_parts(parts)
    provider = get_gateway(gateway)
    legs = [LegSpec(subject_account(subject, AccountPurpose.ESCROW), -sum(a for _u, a in parts))]
    legs += [LegSpec(payable_account(payee, currency), amount) for payee, amount in parts]
    with transaction.atomic():
        _entry, created = entry_post(
            key=f"release:{reference}",
            kind="release",
            reference=subject,
            currency=currency,
            actor=actor,
            memo=f"Award {reference} released",
            legs=legs,
        )
        if not created:
            existing = list(Payout.objects.filter(reference=reference).order_by("pk"))
            if {(p.subject, p.currency, p.payee_id, p.amount) for p in existing} != {
                (subject, currency, payee, amount) for payee, amount in parts
            }:
                raise ValidationError(
                    {
                        "reference": [
                            _("This award was already released to other payees or amounts.")
                        ]
                    }
                )
            return existing
        return [
            Payout.objects.create(
                subject=subject,
                reference=reference,
                payee_id=payee,
                amount=amount,
                currency=currency,
                gateway=provider.name,
                destination=payout_destination(payee, provider.name),
                transfer_group=subject,
                key=f"{reference}:{payee}",
                test_money=provider.test_money,
            )
            for payee, amount in parts
        ]


def payout_send(*, payout_id: int) -> Payout:
    """Ask the gateway to pay a pending payout (safe to repeat: the same idempotency key
    every time). The attempt is counted first, in its own transaction, so that a payout
    under way cannot be cancelled. GatewayUnavailable is re-raised for the caller's task
    to retry later; the payout stays pending. A payout whose payee's account cannot
    receive payouts yet (Stripe said so) is not sent: it waits, pending, until the
    account can (`payouts.services.connect` sends it then)."""
    waiting = Payout.objects.get(pk=payout_id)
    if payout_waits_for_setup(waiting):
        return waiting
    with transaction.atomic():
        counted = Payout.objects.filter(pk=payout_id, state=S.PENDING).update(
            attempts=F("attempts") + 1, last_attempt_at=timezone.now()
        )
    payout = Payout.objects.get(pk=payout_id)
    if not counted:
        return payout
    try:
        outcome = get_gateway(payout.gateway).transfer(payout)
    except GatewayUnavailable as exc:
        Payout.objects.filter(pk=payout.pk, state=S.PENDING).update(failure_message=str(exc)[:500])
        raise
    if outcome.status == "succeeded":
        return payout_confirm(payout_id=payout.pk, provider_id=outcome.provider_id)
    return payout_fail(payout_id=payout.pk, message=outcome.failure_message)


def payout_confirm(*, payout_id: int, provider_id: str = "") -> Payout:
    """The provider sent the money: post it from the payee's payable account to the
    gateway's clearing account, once. A failed payout is confirmed too (the money did
    move); a cancelled one raises PayoutCancelled."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.state in (S.SUCCEEDED, S.REVERSED):
            return payout
        if payout.state == S.CANCELLED:
            raise PayoutCancelled(
                _("Payout %(pk)s was cancelled; money reported sent for it needs a look.")
                % {"pk": payout.pk}
            )
        entry_post(
            key=f"payout:{payout.key}",
            kind="payout",
            reference=payout.subject,
            currency=payout.currency,
            memo=f"Payout {payout.pk} of {payout.reference} via {payout.gateway}",
            legs=transfer(
                payable_account(payout.payee_id, payout.currency),
                clearing_account(payout.gateway, payout.currency),
                payout.amount,
            ),
        )
        payout.state = S.SUCCEEDED
        payout.provider_id = provider_id or payout.provider_id
        payout.failure_message = ""
        payout.completed_at = timezone.now()
        payout.save(update_fields=["state", "provider_id", "failure_message", "completed_at"])
        reference = payout.reference
        transaction.on_commit(lambda: _announce_confirmed(reference))
    return payout


def _announce_confirmed(reference: str) -> None:
    """Tell whoever asked (settings.PAYOUT_CONFIRMED_HOOKS, dotted paths of callables
    taking `reference=`) that a payout of `reference` went through, however it was
    learnt: the transfer call's answer or the provider's webhook."""
    for path in settings.PAYOUT_CONFIRMED_HOOKS:
        import_string(path)(reference=reference)


def payout_fail(*, payout_id: int, message: str) -> Payout:
    """The provider refused a pending payout: nothing is posted and the amount stays
    owed on the payee's payable account. Any other state is left alone."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.state == S.PENDING:
            payout.state = S.FAILED
            payout.failure_message = (message or _("The transfer was refused."))[:500]
            payout.save(update_fields=["state", "failure_message"])
    return payout


def payout_retry(*, payout_id: int) -> Payout:
    """Make a failed payout pending again, paid to the payee's account on file now (so a
    payee who fixed a refused account is paid into the new one). The caller queues
    `payout_send` after commit. Any other state is left alone."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.state == S.FAILED:
            payout.state = S.PENDING
            payout.failure_message = ""
            payout.destination = payout_destination(payout.payee_id, payout.gateway)
            payout.save(update_fields=["state", "failure_message", "destination"])
    return payout


def payout_reverse(*, payout_id: int, reason: str = "") -> Payout:
    """The provider took a paid payout back: post it back to the payee's payable account
    (owed again, visible) and mark the payout reversed, once. Only a paid payout can be
    reversed (ValidationError otherwise)."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.state == S.REVERSED:
            return payout
        if payout.state != S.SUCCEEDED:
            raise ValidationError(
                _("Payout %(pk)s was not paid, so it cannot be reversed.") % {"pk": payout.pk}
            )
        entry_post(
            key=f"reverse:payout:{payout.key}",
            kind="reverse",
            reference=payout.subject,
            currency=payout.currency,
            memo=reason[:500] or f"Payout {payout.pk} of {payout.reference} reversed",
            legs=transfer(
                clearing_account(payout.gateway, payout.currency),
                payable_account(payout.payee_id, payout.currency),
                payout.amount,
            ),
        )
        payout.state = S.REVERSED
        payout.failure_message = reason[:500]
        payout.save(update_fields=["state", "failure_message"])
        reference, pk = payout.reference, payout.pk
        transaction.on_commit(lambda: _announce_reversed(reference, pk))
    return payout


def _announce_reversed(reference: str, payout_id: int) -> None:
    """Tell whoever asked (settings.PAYOUT_REVERSED_HOOKS, dotted paths of callables
    taking `reference=` and `payout_id=`) that a paid payout was taken back."""
    for path in settings.PAYOUT_REVERSED_HOOKS:
        import_string(path)(reference=reference, payout_id=payout_id)


def payouts_cancel(*, reference: str) -> int:
    """Cancel the unpaid payouts of forfeited award `reference` and put their money back
    into escrow in one entry; return how many were cancelled (0 when none are left).
    Refused (ValidationError, nothing changed) while any payout of it is paid, was
    reversed or is under way (pending with attempts). Runs inside the caller's
    transaction."""
    with transaction.atomic():
        payouts = list(
            Payout.objects.select_for_update().filter(reference=reference).order_by("pk")
        )
        for payout in payouts:
            if payout.state in (S.SUCCEEDED, S.REVERSED) or (
                payout.state == S.PENDING and payout.attempts
            ):
                raise ValidationError(
                    _("Payout %(pk)s of %(ref)s is paid or under way; it cannot be cancelled.")
                    % {"pk": payout.pk, "ref": reference}
                )
        cancel = [p for p in payouts if p.state in (S.PENDING, S.FAILED)]
        if not cancel:
            return 0
        subject, total = cancel[0].subject, sum(p.amount for p in cancel)
        entry_post(
            key=f"forfeit:{reference}",
            kind="forfeit",
            reference=subject,
            currency=cancel[0].currency,
            memo=f"Award {reference} forfeited",
            legs=[
                *(LegSpec(payable_account(p.payee_id, p.currency), -p.amount) for p in cancel),
                LegSpec(subject_account(subject, AccountPurpose.ESCROW), total),
            ],
        )
        Payout.objects.filter(pk__in=[p.pk for p in cancel]).update(
            state=S.CANCELLED, completed_at=timezone.now()
        )
    return len(cancel)
