"""The escrow budget of a challenge's awards: what escrow holds, what live awards still
need from it, and what new awards may use."""

from typing import NamedTuple

from django.db.models import Sum

from marketplace.awards.models import AwardState
from marketplace.challenges.models import Challenge
from marketplace.core.references import subject_of
from payouts.models import AccountPurpose
from payouts.selectors import balance_of


def committed_amount(challenge: Challenge) -> int:
    """What live awards still need from escrow: proposed and not yet released."""
    return (
        challenge.awards.exclude(state=AwardState.FORFEITED)
        .filter(released_at__isnull=True)
        .aggregate(s=Sum("amount"))["s"]
        or 0
    )


class AwardBudget(NamedTuple):
    held: int  # in escrow now
    committed: int  # promised to live awards not yet released
    available: int  # held and not promised: what new awards may use


def award_budget(challenge: Challenge) -> AwardBudget:
    held = balance_of(subject_of(challenge), AccountPurpose.ESCROW)
    committed = committed_amount(challenge)
    return AwardBudget(held, committed, held - committed)
