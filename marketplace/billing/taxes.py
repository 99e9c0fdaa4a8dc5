"""Tax on the platform fee. The prize pool is money held for the winners, not a sale, so
no tax applies to it; the fee is the platform's service and includes tax at the
configured rate (settings.MARKETPLACE_TAX_RATE, "0" for none): what a Seeker pays does
not change with the rate, only how the fee is split on their documents."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings


def tax_rate() -> Decimal:
    return Decimal(str(settings.MARKETPLACE_TAX_RATE))


def fee_split(fee: int, rate: Decimal) -> tuple[int, int]:
    """(net, tax) of a tax-inclusive `fee` in minor units: the net rounded half up to
    the minor unit, the tax what is left, so net + tax == fee exactly."""
    if rate <= 0:
        return fee, 0
    net = int((Decimal(fee) / (1 + rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return net, fee - net
