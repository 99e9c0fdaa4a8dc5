from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from payouts.currency import check_currency, format_money, to_major, to_minor


@pytest.mark.parametrize(
    ("text", "code", "minor"),
    [
        ("25000", "USD", 2_500_000),
        ("25000.5", "USD", 2_500_050),
        ("0.01", "EUR", 1),
        ("1500", "JPY", 1500),
        (" 12.30 ", "GBP", 1230),
    ],
)
def test_to_minor(text, code, minor):
    assert to_minor(text, code) == minor


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("12.345", "USD"),
        ("10.5", "JPY"),
        ("abc", "USD"),
        ("", "USD"),
        ("NaN", "USD"),
        ("Infinity", "EUR"),
        ("1,000", "USD"),
    ],
)
def test_to_minor_refuses(text, code):
    with pytest.raises(ValidationError):
        to_minor(text, code)


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from(["USD", "JPY", "EUR"]))
def test_major_minor_round_trip(minor, code):
    assert to_minor(to_major(minor, code), code) == minor


def test_unknown_currency_refused():
    with pytest.raises(ValidationError):
        check_currency("XYZ")
    with pytest.raises(ValidationError):
        check_currency(None)
    assert check_currency("USD") == "USD"


def test_format_follows_reader_language():
    with translation.override("en"):
        assert format_money(2_500_000, "USD") == "$25,000.00"
    with translation.override("es"):
        assert format_money(2_500_000, "USD") == "25.000,00\xa0US$"
    assert format_money(1500, "JPY", "en") == "¥1,500"
    assert to_major(2_500_050, "USD") == Decimal("25000.50")
