"""The platform fee on a prize pool, from a fee schedule: tiers, a list of (upper bound
in major units or None, rate), applied marginally like tax brackets, rounded half up to
the minor unit, never below the minimum. The schedule in force comes from
settings.MARKETPLACE_FEE_TIERS and MARKETPLACE_FEE_MINIMUM; a challenge records the one
it opened under, so a later change of the settings leaves earlier fees as they were."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from payouts.currency import exponent


def fee_schedule() -> dict:
    """The schedule in force, as plain JSON values (what an opening records)."""
    return {
        "tiers": [list(tier) for tier in settings.MARKETPLACE_FEE_TIERS],
        "minimum": str(settings.MARKETPLACE_FEE_MINIMUM),
    }


def fee_for(pool: int, currency: str, schedule: dict | None = None) -> int:
    """The fee on `pool` under `schedule` (default: the schedule in force)."""
    schedule = schedule or fee_schedule()
    scale = Decimal(10) ** exponent(currency)
    fee = Decimal(0)
    lower = 0
    for upper_major, rate in schedule["tiers"]:
        upper = pool if upper_major is None else min(pool, int(Decimal(upper_major) * scale))
        if upper > lower:
            fee += (upper - lower) * Decimal(rate)
            lower = upper
        if lower >= pool:
            break
    minimum = int(Decimal(schedule["minimum"]) * scale)
    return max(int(fee.quantize(Decimal(1), rounding=ROUND_HALF_UP)), minimum)


def funding_total(pool: int, currency: str) -> int:
    """What a payer pays in before a prize of `pool` opens: the pool plus the fee."""
    return pool + fee_for(pool, currency)
