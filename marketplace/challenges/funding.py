"""The funding condition of the `open` transition: the one place where the lifecycle
asks whether the prize is really there."""

from django.utils.translation import gettext_lazy as _

from marketplace.core.references import subject_of
from payouts.selectors import funding_due


def funding_covers_prize(challenge) -> bool:
    """True when confirmed payments in the challenge's funding account cover the prize
    pool plus the platform fee (opening then moves them into escrow and fees)."""
    due = funding_due(
        subject=subject_of(challenge), pool=challenge.prize_pool, currency=challenge.currency
    )
    return due["received"] >= due["total"]


funding_covers_prize.message = _("The prize pool and fee are not yet fully funded.")
