"""The tax a platform fee includes: net + tax is the fee exactly, the net is the fee
divided by (1 + rate) to the nearest minor unit, and no rate means no tax."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from marketplace.billing.taxes import fee_split

RATES = st.decimals(min_value="0.01", max_value="0.50", places=4)


@given(fee=st.integers(min_value=0, max_value=10**13), rate=RATES)
def test_net_and_tax_add_up_to_the_fee(fee, rate):
    net, tax = fee_split(fee, rate)
    assert net + tax == fee
    assert 0 <= tax <= fee
    assert abs(Decimal(net) * (1 + rate) - fee) <= (1 + rate) / 2


def test_known_values():
    assert fee_split(250_000, Decimal("0.21")) == (206_612, 43_388)
    assert fee_split(250_000, Decimal("0")) == (250_000, 0)
    assert fee_split(1, Decimal("0.21")) == (1, 0)
