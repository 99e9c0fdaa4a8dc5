"""Serializer fields that accept only unambiguous JSON: weights as JSON integers (never
12.0, "1200", true or null), amounts of money in major units ("25000.00"), percentages
and date-times with a time zone."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.core.numbers import is_whole_number
from payouts.currency import supported_currencies, to_minor

DECIMAL_TEXT = r"^-?[0-9]{1,18}(\.[0-9]{1,18})?$"
_DECIMAL = re.compile(DECIMAL_TEXT)
# Beyond this a JSON number is no longer an exact integer once parsed as a double.
_EXACT_FLOAT = 2**53
# The largest row id the databases store (a signed 64-bit integer).
ID_MAX = 2**63 - 1


class IdField(serializers.IntegerField):
    """A row's id given as input: a positive integer the database can hold (a larger one
    is a 400, not a database error)."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=ID_MAX, **kwargs)


@extend_schema_field(OpenApiTypes.INT64)
class StrictIntegerField(serializers.Field):
    """A JSON integer. Floats (even 12.0), strings, booleans and null are refused, so a
    client can never have a value rounded or guessed for it."""

    default_error_messages = {
        "invalid": _("Send a whole number as a JSON integer (no quotes, no decimal point)."),
        "null": _("Send a whole number as a JSON integer, not null."),
    }

    def to_internal_value(self, data):
        if not is_whole_number(data):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return int(value)


class MinorUnitsField(StrictIntegerField):
    """An amount in a response, as the integer minor units of its currency (cents for
    USD, yen for JPY): 2500000 is USD 25,000.00. Requests send amounts as `AmountField`."""

    unit = _("Integer in minor units of the currency: 2500000 is 25,000.00 USD.")

    def __init__(self, **kwargs):
        said = kwargs.get("help_text")
        kwargs["help_text"] = format_lazy("{} {}", said, self.unit) if said else self.unit
        super().__init__(**kwargs)


def decimal_from_json(data) -> Decimal | None:
    """A JSON string such as "25000.00", or a number that parses exactly (25000, 25000.5:
    a float is read from its shortest digits), as a Decimal; None for anything else
    (booleans, null, lists, "1e3", "25,000", 1e+20, numbers beyond 18 digits). Whether the
    currency allows that many decimals is `to_minor`'s rule."""
    if isinstance(data, bool):
        return None
    if isinstance(data, int):
        return Decimal(data) if abs(data) < 10**18 else None
    if isinstance(data, float):
        text = repr(data)
        return Decimal(text) if abs(data) < _EXACT_FLOAT and _DECIMAL.match(text) else None
    if isinstance(data, str) and _DECIMAL.match(data.strip()):
        return Decimal(data.strip())
    return None


@extend_schema_field({"type": "string", "pattern": DECIMAL_TEXT, "example": "25000.00"})
class AmountField(serializers.Field):
    """An amount of money in major units of the currency: "25000.00" (recommended: a
    string is never rounded) or a JSON number that parses exactly (25000.5). The value is
    a Decimal; `minor_units` turns it into the ledger's integer once the currency is known.
    As output, the decimal string."""

    default_error_messages = {
        "invalid": _(
            "Send the amount in the currency's major units as a JSON string, for example "
            '"25000.00" (a number such as 25000.5 is accepted too).'
        ),
        "null": _('Send the amount in the currency\'s major units, for example "25000.00".'),
    }

    def to_internal_value(self, data) -> Decimal:
        value = decimal_from_json(data)
        if value is None:
            self.fail("invalid")
        return value

    def to_representation(self, value) -> str:
        return format(value, "f")


@extend_schema_field({"type": "string", "pattern": DECIMAL_TEXT, "example": "62.50"})
class PercentField(AmountField):
    """A percentage such as "62.50" (a string, or a JSON number that parses exactly)."""

    default_error_messages = {
        "invalid": _(
            'Send the percentage as a JSON string, for example "62.50" (a number such '
            "as 62.5 is accepted too)."
        ),
        "null": _('Send the percentage as a JSON string, for example "62.50".'),
    }


def minor_units(value: Decimal, code: str, field: str) -> int:
    """An `AmountField` value in minor units of `code`; a 400 naming `field` when the
    currency has fewer decimals ("JPY amounts are whole numbers: no decimals.")."""
    try:
        return to_minor(value, code)
    except DjangoValidationError as exc:
        raise serializers.ValidationError({field: exc.messages}) from None


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date-time that states its time zone ("2030-01-31T17:00:00Z")."""

    default_error_messages = {
        "naive": _("Include a time zone, for example 2030-01-31T17:00:00Z or +01:00."),
    }

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            self.fail("naive")
        return super().enforce_timezone(value)


class CurrencyCodeField(serializers.CharField):
    """An ISO 4217 code among the currencies the site handles."""

    def __init__(self, **kwargs):
        super().__init__(max_length=3, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value not in supported_currencies():
            raise serializers.ValidationError(
                _("Unknown currency. Use one of: %(codes)s.")
                % {"codes": ", ".join(supported_currencies())}
            )
        return value
