"""Ledger entries as the API shows them: on a challenge's escrow statement and in the
staff's ledger."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.core.api.fields import MinorUnitsField


class LegSerializer(serializers.Serializer):
    account = serializers.CharField(source="account.code")
    amount = MinorUnitsField(help_text=_("Signed: + credits, - debits the account."))
    currency = serializers.CharField()


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    idempotency_key = serializers.CharField()
    kind = serializers.CharField(
        help_text=_("fund, open, release, payout, reverse, forfeit or refund.")
    )
    memo = serializers.CharField()
    reference = serializers.CharField(help_text=_("The subject, e.g. “challenge:12”."))
    legs = LegSerializer(many=True, help_text=_("They sum to zero."))
