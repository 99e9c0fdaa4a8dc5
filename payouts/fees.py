"""The platform fee on a prize pool, from the tiers in settings.MARKETPLACE_FEE_TIERS:
a list of (upper bound in major units or None, rate), applied marginally like tax
brackets, rounded half up to the minor unit, never below the minimum."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from .currency import exponent


def fee_for(pool: int, currency: str) -> int:
    scale = Decimal(10) ** exponent(currency)
    fee = Decimal(0)
    lower = 0
    for upper_major, rate in settings.MARKETPLACE_FEE_TIERS:
        upper = pool if upper_major is None else min(pool, int(Decimal(upper_major) * scale))
        if upper > lower:
            fee += (upper - lower) * Decimal(rate)
            lower = upper
        if lower >= pool:
            break
    minimum = int(Decimal(settings.MARKETPLACE_FEE_MINIMUM) * scale)
    return max(int(fee.quantize(Decimal(1), rounding=ROUND_HALF_UP)), minimum)
