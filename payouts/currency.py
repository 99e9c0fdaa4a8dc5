"""Currencies and amounts: integer minor units inside, formatted only at the edges.

Minor-unit exponents come from the ISO 4217 data that Babel ships (JPY has 0 decimals,
USD 2, ...); which currencies the marketplace accepts is a setting.
"""

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_percent, get_currency_precision
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _


def supported_currencies() -> list[str]:
    return list(settings.MARKETPLACE["CURRENCIES"])


def check_currency(code: str) -> str:
    """Return the code if the marketplace accepts it, else raise ValidationError."""
    if not isinstance(code, str) or code not in supported_currencies():
        raise ValidationError(
            _("Unknown currency %(code)s. Use one of: %(codes)s."),
            code="unknown_currency",
            params={"code": code, "codes": ", ".join(supported_currencies())},
        )
    return code


def exponent(code: str) -> int:
    return get_currency_precision(code)


def to_minor(amount: str | Decimal, code: str) -> int:
    """Parse a major-unit amount: "25000.50" and "25000,50" are 2500050 cents; digit
    grouping ("25,000.50") is refused rather than guessed.

    Raises ValidationError for text that is not a number or that has more decimals
    than the currency has minor units.
    """
    text = str(amount).strip()
    whole, comma, fraction = text.partition(",")
    if comma and "." not in text and 0 < len(fraction) <= exponent(code):
        text = f"{whole}.{fraction}"  # a decimal comma, as Spanish readers write it
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise not_a_number() from None
    if not value.is_finite():
        raise not_a_number()
    scaled = value.scaleb(exponent(code))
    if scaled != scaled.to_integral_value():
        raise too_many_decimals(code)
    return int(scaled)


def not_a_number() -> ValidationError:
    return ValidationError(
        _("Enter the amount as a number, for example 25000.00."), code="invalid_amount"
    )


def too_many_decimals(code: str) -> ValidationError:
    if exponent(code) == 0:
        return ValidationError(
            _("%(code)s amounts are whole numbers: no decimals."),
            code="too_many_decimals",
            params={"code": code},
        )
    return ValidationError(
        _("%(code)s amounts have at most %(places)s decimal places."),
        code="too_many_decimals",
        params={"code": code, "places": exponent(code)},
    )


def to_major(minor: int, code: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(code))


def major_text(minor: int, code: str) -> str:
    """2500050 cents -> "25000.50": the plain decimal string the API speaks."""
    return format(to_major(minor, code), "f")


def format_money(minor: int, code: str, language: str | None = None) -> str:
    """Format for the reader's language, e.g. "$25,000.00" in English and
    "25.000,00 US$" in Spanish."""
    return format_currency(to_major(minor, code), code, locale=_locale(language))


def format_percentage(percent: Decimal, language: str | None = None) -> str:
    """62.5 -> "62.5%" in English, "62,5 %" in Spanish."""
    return format_percent(percent / 100, locale=_locale(language), decimal_quantization=False)


def _locale(language: str | None) -> str:
    return to_locale(language or get_language() or settings.LANGUAGE_CODE)
