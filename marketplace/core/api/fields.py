"""Serializer fields that accept only unambiguous JSON: amounts and weights as JSON
integers (never 12.0, "1200", true or null) and date-times with a time zone."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.core.numbers import is_whole_number
from payouts.currency import supported_currencies


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
    """An amount of money in integer minor units of its currency (cents for USD, yen
    for JPY): 2500000 is USD 25,000.00."""

    default_error_messages = {
        "invalid": _(
            "Send the amount as a JSON integer of minor units (e.g. cents: "
            "250000 for 2,500.00); decimals, strings and booleans are refused."
        ),
        "null": _("Send the amount as a JSON integer of minor units, not null."),
    }


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
