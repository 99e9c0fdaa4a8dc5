"""The ledger for staff: accounts with balances, entries with their legs, and the audit.
Anyone else gets 401 (not signed in) or 403."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.mfa import StaffHasMfa
from marketplace.core.api.fields import CurrencyCodeField, MinorUnitsField
from marketplace.core.api.inputs import query_params
from marketplace.core.api.schema import errors
from marketplace.escrow.serializers import EntrySerializer
from payouts import ledger_queries
from payouts.audit import run_audit
from payouts.models import AccountPurpose


class AccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text=_("e.g. “challenge:12:escrow”."))
    purpose = serializers.ChoiceField(AccountPurpose.choices)
    currency = serializers.CharField()
    balance = MinorUnitsField(
        help_text=_(
            "Credits minus debits: positive for funding, escrow, payable and fees; a "
            "gateway's clearing account is negative."
        )
    )


class AccountParams(serializers.Serializer):
    purpose = serializers.ChoiceField(AccountPurpose.choices, required=False)
    currency = CurrencyCodeField(required=False)


class EntryParams(serializers.Serializer):
    reference = serializers.CharField(
        required=False, max_length=100, help_text=_("Exact reference, e.g. “challenge:12”.")
    )
    idempotency_key = serializers.CharField(
        required=False, max_length=200, help_text=_("Exact key, e.g. “fund:7”.")
    )


class AuditSerializer(serializers.Serializer):
    clean = serializers.BooleanField()
    breaches = serializers.ListField(child=serializers.CharField())
    checked = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("How many rows of each kind were checked.")
    )


class StaffOnly:
    permission_classes = [IsAdminUser, StaffHasMfa]


@extend_schema(
    summary=_("Ledger accounts and balances (staff)"),
    parameters=[AccountParams],
    responses={200: AccountSerializer(many=True), **errors(400, 401, 403)},
)
class LedgerAccountsView(StaffOnly, generics.ListAPIView):
    serializer_class = AccountSerializer

    def get_queryset(self):
        return ledger_queries.accounts(**query_params(AccountParams, self.request))


@extend_schema(
    summary=_("Ledger entries, newest first (staff)"),
    parameters=[EntryParams],
    responses={200: EntrySerializer(many=True), **errors(400, 401, 403)},
)
class LedgerEntriesView(StaffOnly, generics.ListAPIView):
    serializer_class = EntrySerializer

    def get_queryset(self):
        return ledger_queries.entries(**query_params(EntryParams, self.request))


class LedgerAuditView(StaffOnly, APIView):
    @extend_schema(
        summary=_("Run the ledger audit (staff)"),
        description=_(
            "Recomputes every balance from the legs and checks every invariant and every "
            "challenge's escrow identity, like `manage.py ledger_audit`."
        ),
        responses={200: AuditSerializer, **errors(401, 403)},
    )
    def get(self, request):
        report = run_audit()
        return Response(
            {"clean": report.clean, "breaches": report.breaches, "checked": report.checked}
        )
