"""A planned award as people read it: its amount and its share of the prize pool."""

from django.utils.translation import gettext as _

from payouts.currency import format_money, format_percentage
from payouts.splits import percent_of


def award_share(minor: int, pool: int, currency: str) -> str:
    """ "$60,000.00 (60% of the prize pool)" in the reader's language."""
    return _("%(amount)s (%(share)s of the prize pool)") % {
        "amount": format_money(minor, currency),
        "share": format_percentage(percent_of(minor, pool)),
    }
