"""A challenge's billing documents through the API: for the organisation's owners and
managers and for staff; 404 for anyone else. Each links to its PDF, rendered in the
language of the request that downloads it."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.billing.models import DocumentKind
from marketplace.billing.selectors import documents_of, may_read_billing
from marketplace.challenges.selectors import challenge_for_user
from marketplace.core.api.fields import AmountField, MinorUnitsField
from marketplace.core.api.schema import CHALLENGE_ID, errors
from payouts.currency import major_text


class BillingDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text=_('Year and number: "2026-000001".'))
    kind = serializers.ChoiceField(DocumentKind.choices)
    issued_at = serializers.DateTimeField()
    amount = serializers.SerializerMethodField()
    amount_minor = MinorUnitsField(source="amount")
    currency = serializers.CharField()
    pdf_url = serializers.SerializerMethodField()

    @extend_schema_field(
        AmountField(
            help_text=_(
                "Pro-forma invoice: what was due; receipt: the payment; credit note: the "
                'refund; in major units: "27500.00".'
            )
        )
    )
    def get_amount(self, document) -> str:
        return major_text(document.amount, document.currency)

    def get_pdf_url(self, document) -> str:
        url = reverse("billing_document", args=[document.pk])
        return self.context["request"].build_absolute_uri(url)


class ChallengeBillingDocumentsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=_("Invoices, receipts and credit notes"),
        description=_(
            "The challenge's pro-forma invoices, receipts and credit notes, in number "
            "order: for the organisation's owners and managers and for staff; anyone "
            "else gets 404."
        ),
        parameters=[CHALLENGE_ID],
        responses={200: BillingDocumentSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        if not may_read_billing(request.user, challenge):
            raise Http404
        documents = documents_of(challenge)
        return Response(
            BillingDocumentSerializer(documents, many=True, context={"request": request}).data
        )
