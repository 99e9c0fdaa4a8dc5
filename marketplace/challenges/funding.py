"""The funding condition of the `open` transition: the one place where the lifecycle
asks whether the prize is really there."""

from django.utils.translation import gettext_lazy as _


def funding_covers_prize(challenge) -> bool:
    """True when confirmed payments in the challenge's funding account cover the prize
    pool plus the platform fee (opening then moves them into escrow and fees)."""
    from marketplace.escrow.services import funding_due

    due = funding_due(challenge)
    return due["received"] >= due["total"]


funding_covers_prize.message = _("The prize pool and fee are not yet fully funded.")
