"""Reads of a challenge's money that pages and services share, so that each rule is
written once."""

from marketplace.challenges.models import Challenge
from marketplace.challenges.states import ENDED_WITHOUT_WINNERS
from marketplace.core.references import subject_of
from payouts.models import AccountPurpose
from payouts.selectors import balance_of


def refund_scope(challenge: Challenge) -> tuple[str, ...]:
    """The accounts whose money the owner may ask back now. Once the challenge ended
    without winners (cancelled, no award): everything still held, funding and escrow
    (say, a transfer that arrived after the cancellation, or a refund the provider
    refused). While it runs, from opening on: what was paid beyond pool + fee, left in
    funding. Before opening: nothing (the money is still needed to open)."""
    if challenge.state in ENDED_WITHOUT_WINNERS:
        return (AccountPurpose.FUNDING, AccountPurpose.ESCROW)
    if challenge.is_published:
        return (AccountPurpose.FUNDING,)
    return ()


def refundable(challenge: Challenge) -> int:
    """What asking for a refund now would send back, in minor units."""
    subject = subject_of(challenge)
    return sum(balance_of(subject, purpose) for purpose in refund_scope(challenge))
