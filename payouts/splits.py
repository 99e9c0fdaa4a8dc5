"""Splitting an amount by ratios so that the parts always add up exactly."""

from decimal import ROUND_HALF_UP, Decimal


def split_largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split `total` minor units in proportion to `weights` (e.g. basis points).

    Every part is floor(total * w / sum(w)); the units left over go one each to the
    parts with the largest remainders (ties to the earlier part). The parts sum to
    `total` exactly and no part differs from its exact share by a unit or more.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(parts)
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        parts[i] += 1
    return parts


def percent_of(part: int, total: int) -> Decimal:
    """`part` as a percentage of `total`, to two decimals (half up): 1 of 3 is 33.33."""
    return (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)
