from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payouts.fees import fee_for


@pytest.mark.parametrize(
    ("pool", "currency", "fee"),
    [
        (25_000_000, "USD", 1_750_000),  # 250,000.00: 10,000.00 + 5% of 150,000.00
        (10_000_000, "USD", 1_000_000),  # exactly 100,000.00: all at 10%
        (10_000_001, "USD", 1_000_000),  # one cent above: + 0.05 cent, rounds down
        (10_000_010, "USD", 1_000_001),  # ten cents above: + 0.5 cent, rounds half up
        (2_500_000, "USD", 250_000),  # 25,000.00
        (5, "USD", 1),  # 0.5 cent rounds half up, not to even
        (25, "USD", 3),  # 2.5 cents rounds up too
        (4, "USD", 0),
        (1, "EUR", 0),
        (250_000, "JPY", 17_500),  # JPY has no minor unit: the tier is at 100,000 yen
        (100_000, "JPY", 10_000),
        (5, "JPY", 1),
        (15, "JPY", 2),
        (0, "USD", 0),
    ],
)
def test_default_tiers(pool, currency, fee):
    assert fee_for(pool, currency) == fee


def exact(pool: int, scale: int) -> int:
    """10% up to 100,000.00 and 5% above, half up, written out independently."""
    first = min(pool, 100_000 * scale)
    raw = Decimal(first) / 10 + Decimal(pool - first) / 20
    return int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(st.integers(min_value=0, max_value=10**12))
def test_default_tiers_match_the_formula_and_grow_with_the_pool(pool):
    assert fee_for(pool, "USD") == exact(pool, 100)
    assert fee_for(pool, "JPY") == exact(pool, 1)
    assert fee_for(pool + 1, "USD") >= fee_for(pool, "USD")


def test_tiers_come_from_settings(settings):
    settings.MARKETPLACE_FEE_TIERS = [[1_000, "0.20"], [10_000, "0.10"], [None, "0.02"]]
    # 20% of 1,000.00 + 10% of 9,000.00 + 2% of 10,000.00
    assert fee_for(2_000_000, "USD") == 20_000 + 90_000 + 20_000
    assert fee_for(50_000, "USD") == 10_000
    settings.MARKETPLACE_FEE_TIERS = [[None, "0.025"]]
    assert fee_for(2_000_000, "USD") == 50_000
    assert fee_for(20, "USD") == 1  # 0.5 cent, half up
    assert fee_for(1_000, "JPY") == 25


def test_tiers_without_an_open_top_charge_nothing_above_the_last(settings):
    settings.MARKETPLACE_FEE_TIERS = [[1_000, "0.10"]]
    assert fee_for(500_000, "USD") == 10_000


def test_minimum_from_settings(settings):
    settings.MARKETPLACE_FEE_MINIMUM = "50.00"
    assert fee_for(10_000, "USD") == 5_000  # 10% of 100.00 is below the minimum
    assert fee_for(2_500_000, "USD") == 250_000  # above it, the tiers apply
    assert fee_for(100, "JPY") == 50
    settings.MARKETPLACE_FEE_TIERS = [[None, "0"]]
    assert fee_for(2_500_000, "USD") == 5_000


def test_zero_rate_and_zero_minimum_mean_no_fee(settings):
    settings.MARKETPLACE_FEE_TIERS = [[None, "0"]]
    assert fee_for(2_500_000, "USD") == 0
