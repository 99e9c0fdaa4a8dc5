"""Reads of money: balances, statements, payments on their way and payouts."""

from typing import NamedTuple

from django.db.models import QuerySet, Sum

from payouts.accounts import subject_account
from payouts.fees import funding_total
from payouts.models import (
    Account,
    AccountPurpose,
    Entry,
    Leg,
    Payment,
    PaymentState,
    Payout,
    PayoutAccount,
    PayoutState,
)


def balance_of(subject: str, purpose: str) -> int:
    code, _purpose = subject_account(subject, purpose)
    return Account.objects.filter(code=code).values_list("balance", flat=True).first() or 0


class Incoming(NamedTuple):
    received: int  # what the subject's funding account holds
    in_flight: list[Payment]  # its pending payments (neither confirmed nor failed), newest first

    @property
    def total(self) -> int:
        """Received plus on its way."""
        return self.received + sum(payment.amount for payment in self.in_flight)


def funding_due(*, subject: str, pool: int, currency: str) -> dict:
    """What opening a prize of `pool` for `subject` needs (pool + fee), what has arrived
    in its funding account, and what is still missing or paid beyond it."""
    total = funding_total(pool, currency)
    received = balance_of(subject, AccountPurpose.FUNDING)
    return {
        "pool": pool,
        "fee": total - pool,
        "total": total,
        "received": received,
        "outstanding": max(total - received, 0),
        "excess": max(received - total, 0),
    }


def incoming(subject: str) -> Incoming:
    """The subject's funding: what arrived and what is on its way, read consistently.
    Runs inside the caller's transaction: the pending payments are locked first, so
    none can be confirmed (moving from on its way to arrived) between the two reads."""
    in_flight = list(
        Payment.objects.select_for_update()
        .filter(subject=subject, state=PaymentState.PENDING)
        .order_by("-created_at", "-pk")
    )
    return Incoming(balance_of(subject, AccountPurpose.FUNDING), in_flight)


def subject_entries(subject: str):
    return (
        Entry.objects.filter(reference=subject)
        .prefetch_related("legs__account")
        .order_by("created_at", "pk")
    )


# The entry kinds whose legs the statement sums (see MONEY.md for their postings).
STATEMENT_KINDS = ("fund", "open", "release", "forfeit", "payout", "reverse", "refund")


def _sums(subjects: list[str]) -> dict[str, dict[tuple[str, str, str], int]]:
    """Per subject: the sum of its entries' legs by (entry kind, account code, account
    purpose), in one query."""
    rows = (
        Leg.objects.filter(entry__reference__in=subjects, entry__kind__in=STATEMENT_KINDS)
        .values_list("entry__reference", "entry__kind", "account__code", "account__purpose")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    sums: dict[str, dict[tuple[str, str, str], int]] = {subject: {} for subject in subjects}
    for reference, kind, code, purpose, total in rows:
        sums[reference][(kind, code, purpose)] = total
    return sums


def _balances(subjects: list[str], purpose: str) -> dict[str, int]:
    codes = {subject_account(subject, purpose)[0]: subject for subject in subjects}
    rows = Account.objects.filter(code__in=codes).values_list("code", "balance")
    return {subject: 0 for subject in subjects} | {codes[code]: balance for code, balance in rows}


def _figures(subject: str, sums: dict, held: int, unallocated: int) -> dict:
    def total(kind: str, *, purpose: str = "", code: str = "") -> int:
        return sum(
            amount
            for (k, c, p), amount in sums.items()
            if k == kind and (not purpose or p == purpose) and (not code or c == code)
        )

    funding, _ = subject_account(subject, "funding")
    escrow, _ = subject_account(subject, "escrow")
    received = total("fund", code=funding)
    fee = total("open", purpose="fees")
    released = total("release", purpose="payable")
    forfeited = -total("forfeit", purpose="payable")
    paid = -total("payout", purpose="payable") - total("reverse", purpose="payable")
    refunded = total("refund", purpose="clearing")
    owed = released - forfeited - paid
    return {
        "received": received,
        "fee": fee,
        "held": held,
        "owed": owed,
        "paid": paid,
        "refunded": refunded,
        "unallocated": unallocated,
        "balanced": received == fee + held + owed + paid + refunded + unallocated,
        "escrow_account": escrow,
    }


def statements(subjects) -> dict[str, dict]:
    """`statement` of each subject, in three queries whatever their number."""
    subjects = list(dict.fromkeys(subjects))
    sums = _sums(subjects)
    held = _balances(subjects, "escrow")
    unallocated = _balances(subjects, "funding")
    return {
        subject: _figures(subject, sums[subject], held[subject], unallocated[subject])
        for subject in subjects
    }


def statement(subject: str) -> dict:
    """The escrow statement of a subject (e.g. "challenge:12"), all in minor units,
    computed from the ledger now:

    received     every successful payment in (fund entries)
    fee          earned by the platform when the challenge opened
    held         what escrow holds now
    owed         released to winners, not yet paid out
    paid         paid out to winners (less payouts reversed)
    refunded     returned to the payer
    unallocated  in the funding account (before opening, or excess)

    The identity received = fee + held + owed + paid + refunded + unallocated holds
    whenever the ledger is sound; `ledger_audit` checks it for every subject.
    """
    return statements([subject])[subject]


def payouts_for(reference: str) -> QuerySet[Payout]:
    """The payouts of one award (e.g. "award:7"), one per payee, with their payees."""
    return Payout.objects.filter(reference=reference).select_related("payee").order_by("pk")


def payout_totals(subject: str) -> dict[str, int]:
    """Minor units of the subject's payouts by state: {"pending": .., "succeeded": .., ...},
    every state present."""
    rows = Payout.objects.filter(subject=subject).values_list("state").annotate(s=Sum("amount"))
    return {state: 0 for state in PayoutState.values} | dict(rows)


def payouts_waiting_for(payee_id: int, *, gateway: str) -> QuerySet:
    """The ids of `payee_id`'s pending payouts through `gateway`."""
    return Payout.objects.filter(
        payee_id=payee_id, gateway=gateway, state=PayoutState.PENDING
    ).values_list("pk", flat=True)


def payout_waits_for_setup(payout: Payout) -> bool:
    """Is this pending payout waiting for its payee to finish setting up their account
    (Stripe said the account cannot receive payouts yet)?"""
    return (
        payout.state == PayoutState.PENDING
        and PayoutAccount.objects.filter(
            user_id=payout.payee_id, gateway=payout.gateway, payouts_enabled=False
        ).exists()
    )


def payout_account_of(user, gateway: str) -> PayoutAccount | None:
    """`user`'s payout account through `gateway`, with what Stripe last said of it."""
    return PayoutAccount.objects.filter(user=user, gateway=gateway).first()
