"""The funding condition of the `open` transition.

This is the single place where the lifecycle asks whether a challenge's prize is in
escrow. Until the escrow work (the double-entry ledger in `payouts`) lands, no money is
recorded anywhere, so this function cannot check a balance and answers True: opening is
then gated only by the staff approval that precedes `awaiting_funding`. The escrow work
replaces the body with a ledger check (funding balance >= prize pool + fee).
"""

from django.utils.translation import gettext_lazy as _


def funding_covers_prize(challenge) -> bool:
    return True


funding_covers_prize.message = _("The prize pool and fee are not yet fully funded.")
