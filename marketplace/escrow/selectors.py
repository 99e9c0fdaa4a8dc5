"""Reads of a challenge's money that pages and services share, so that each rule is
written once."""

from typing import NamedTuple

from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.states import ENDED_WITHOUT_WINNERS
from marketplace.core.references import subject_of
from payouts.models import AccountPurpose
from payouts.selectors import balance_of, statements

# Once a challenge has finished, what went back to the Seeker is part of its story.
FINISHED = (ChallengeState.COMPLETED, ChallengeState.NO_AWARD)


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


class EscrowNow(NamedTuple):
    """Where a published challenge's prize money is now, from the ledger (minor units)."""

    held: int  # in escrow
    owed: int  # released to winners, being paid out
    paid: int  # paid out to winners
    refunded: int  # returned to the Seeker once the challenge finished (else 0)

    @property
    def shown(self) -> bool:
        """Whether there is anything to say (a challenge whose rows were made without
        money, such as imported history, has nothing in the ledger)."""
        return any(self)


def escrow_now(challenges) -> dict[int, EscrowNow]:
    """`EscrowNow` of each published challenge, by id, in three queries whatever their
    number; unpublished challenges are left out (their money is not public)."""
    published = [challenge for challenge in challenges if challenge.is_published]
    figures = statements(subject_of(challenge) for challenge in published)
    now = {}
    for challenge in published:
        f = figures[subject_of(challenge)]
        refunded = f["refunded"] if challenge.state in FINISHED else 0
        now[challenge.pk] = EscrowNow(f["held"], f["owed"], f["paid"], refunded)
    return now
