"""Reads for funding by bank transfer: what the Seeker is asked to transfer, the
challenges staff wait for money from, the refunds staff must still send back, and the
transfers and refunds staff recorded. A fixed number of queries per list."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.dateparse import parse_date

from marketplace.challenges.models import Challenge, ChallengeEvent, ChallengeState
from marketplace.core.references import challenge_id_of, subject_of, wire_reference
from payouts.accounts import subject_account
from payouts.fees import funding_total
from payouts.gateways.wire import WireGateway
from payouts.models import Account, AccountPurpose, Refund, RefundState

RECORDED = ("wire_transfer_record", "wire_refund_sent")


def wire_instructions(challenge: Challenge, *, outstanding: int) -> dict:
    """What the Seeker needs to pay by bank transfer: the platform's bank details, the
    reference to quote and the amount still outstanding."""
    return {
        "reference": wire_reference(challenge.pk),
        "bank": settings.WIRE_BANK_DETAILS,
        "outstanding": outstanding,
    }


@dataclass(frozen=True)
class AwaitingRow:
    challenge: Challenge
    reference: str
    total: int
    received: int

    @property
    def outstanding(self) -> int:
        return max(self.total - self.received, 0)


def wire_awaiting_funding() -> list[AwaitingRow]:
    """Every challenge awaiting funding, oldest first, with its reference, pool + fee
    and what its funding account holds (two queries)."""
    challenges = list(
        Challenge.objects.filter(state=ChallengeState.AWAITING_FUNDING)
        .select_related("organization")
        .order_by("pk")
    )
    codes = {c.pk: subject_account(subject_of(c), AccountPurpose.FUNDING)[0] for c in challenges}
    balances = dict(Account.objects.filter(code__in=codes.values()).values_list("code", "balance"))
    return [
        AwaitingRow(
            challenge=c,
            reference=wire_reference(c.pk),
            total=funding_total(c.prize_pool, c.currency),
            received=balances.get(codes[c.pk], 0),
        )
        for c in challenges
    ]


@dataclass(frozen=True)
class RefundRow:
    refund: Refund
    challenge: Challenge
    reference: str
    received_on: date | None  # the day the transfer being returned arrived


def wire_refunds_waiting() -> list[RefundRow]:
    """Pending refunds of bank transfers, oldest first, each with its challenge (and the
    Seeker's organisation and contact) and the transfer it returns (three queries)."""
    refunds = list(
        Refund.objects.filter(payment__gateway=WireGateway.name, state=RefundState.PENDING)
        .select_related("payment")
        .order_by("pk")
    )
    ids = {challenge_id_of(refund.payment.subject) for refund in refunds}
    challenges = Challenge.objects.select_related("organization", "created_by").in_bulk(ids)
    received = {
        details.get("payment"): parse_date(details.get("received_on", ""))
        for details in ChallengeEvent.objects.filter(
            challenge_id__in=ids, name="wire_transfer_record"
        ).values_list("details", flat=True)
    }
    rows = []
    for refund in refunds:
        pk = challenge_id_of(refund.payment.subject)
        rows.append(
            RefundRow(
                refund=refund,
                challenge=challenges[pk],
                reference=wire_reference(pk),
                received_on=received.get(refund.payment_id),
            )
        )
    return rows


def wire_recorded(limit: int = 20) -> list[ChallengeEvent]:
    """The latest transfers and refunds staff recorded, newest first, with who and when;
    each event's `day` is the date on the bank statement."""
    events = list(
        ChallengeEvent.objects.filter(name__in=RECORDED)
        .select_related("actor", "challenge")
        .order_by("-created_at", "-pk")[:limit]
    )
    for event in events:
        event.day = parse_date(event.details.get("received_on") or event.details.get("sent_on", ""))
    return events
