"""Reads of money: balances, statements, payments on their way and payouts."""

from typing import NamedTuple

from django.db.models import Q, QuerySet, Sum

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


def statement(subject: str) -> dict:
    """The escrow statement of a subject (e.g. "challenge:12"), all in minor units:

    received     every successful payment in (fund entries)
    fee          earned by the platform when the challenge opened
    held         what escrow holds now
    owed         released to winners, not yet paid out
    paid         paid out to winners
    refunded     returned to the payer
    unallocated  in the funding account (before opening, or excess)

    The identity received = fee + held + owed + paid + refunded + unallocated holds
    whenever the ledger is sound; `ledger_audit` checks it for every subject.
    """
    legs = Leg.objects.filter(entry__reference=subject)

    def total(q: Q) -> int:
        return legs.filter(q).aggregate(s=Sum("amount"))["s"] or 0

    funding, _ = subject_account(subject, "funding")
    escrow, _ = subject_account(subject, "escrow")
    received = total(Q(entry__kind="fund", account__code=funding))
    fee = total(Q(entry__kind="open", account__purpose="fees"))
    released = total(Q(entry__kind="release", account__purpose="payable"))
    forfeited = -total(Q(entry__kind="forfeit", account__purpose="payable"))
    paid = -total(Q(entry__kind="payout", account__purpose="payable"))
    reversed_ = total(Q(entry__kind="reverse", account__purpose="payable"))
    refunded = total(Q(entry__kind="refund", account__purpose="clearing"))
    held = balance_of(subject, "escrow")
    unallocated = balance_of(subject, "funding")
    paid_net = paid - reversed_
    owed = released - forfeited - paid_net
    return {
        "received": received,
        "fee": fee,
        "held": held,
        "owed": owed,
        "paid": paid_net,
        "refunded": refunded,
        "unallocated": unallocated,
        "balanced": received == fee + held + owed + paid_net + refunded + unallocated,
        "escrow_account": escrow,
    }


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
