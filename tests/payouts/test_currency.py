from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from payouts.currency import (
    check_currency,
    format_money,
    format_percentage,
    major_text,
    to_major,
    to_minor,
)


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


@pytest.mark.parametrize(
    ("text", "code", "language", "message"),
    [
        ("10.5", "JPY", "en", "JPY amounts are whole numbers: no decimals."),
        ("10.5", "JPY", "es", "Los importes en JPY son números enteros: sin decimales."),
        ("12.345", "USD", "en", "USD amounts have at most 2 decimal places."),
        ("12.345", "USD", "es", "Los importes en USD admiten como máximo 2 decimales."),
        ("lots", "USD", "en", "Enter the amount as a number, for example 25000.00."),
        ("lots", "USD", "es", "Indique el importe como un número, por ejemplo 25000.00."),
    ],
)
def test_refusals_say_what_to_write(text, code, language, message):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        to_minor(text, code)
    assert refused.value.messages == [message]


def test_percentages_follow_reader_language():
    assert format_percentage(Decimal("62.5"), "en") == "62.5%"
    assert format_percentage(Decimal("33.33"), "es") == "33,33\xa0%"
    assert format_percentage(Decimal("100"), "en") == "100%"
    assert major_text(2_500_050, "USD") == "25000.50" and major_text(1500, "JPY") == "1500"
