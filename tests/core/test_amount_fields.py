"""What the API reads as an amount of money or a percentage: decimal strings, or JSON
numbers that parse exactly; everything else is refused."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers

from marketplace.core.api.fields import AmountField, decimal_from_json, minor_units


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ("25000.00", Decimal("25000.00")),
        (" 25000 ", Decimal("25000")),
        ("-1.5", Decimal("-1.5")),
        (25000, Decimal("25000")),
        (25000.5, Decimal("25000.5")),
        (19.99, Decimal("19.99")),
        (0.1 + 0.2, Decimal("0.30000000000000004")),
    ],
)
def test_read(sent, read):
    assert decimal_from_json(sent) == read


@pytest.mark.parametrize(
    "sent",
    [
        True,
        False,
        None,
        [1],
        {"v": 1},
        "",
        "1e3",
        "25,000.00",
        "25 000",
        "$5",
        "NaN",
        "Infinity",
        1e20,
        float("inf"),
        10**18,
        "1" * 19,
    ],
)
def test_refused(sent):
    assert decimal_from_json(sent) is None


def test_field_error_says_what_to_send():
    with pytest.raises(serializers.ValidationError) as refused:
        AmountField().run_validation("25,000")
    assert '"25000.00"' in str(refused.value.detail[0])
    assert "minor" not in str(refused.value.detail[0])


@given(st.integers(min_value=0, max_value=10**15))
def test_the_output_reads_back_to_the_same_minor_units(minor):
    for code in ("USD", "JPY"):
        text = AmountField().to_representation(Decimal(minor).scaleb(-2 if code == "USD" else 0))
        assert minor_units(decimal_from_json(text), code, "amount") == minor


def test_too_many_decimals_for_the_currency_names_the_field():
    with pytest.raises(serializers.ValidationError) as refused:
        minor_units(Decimal("10.5"), "JPY", "prize_pool")
    assert refused.value.detail == {"prize_pool": ["JPY amounts are whole numbers: no decimals."]}
