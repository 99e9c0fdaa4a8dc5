"""Funding a challenge and reading its escrow statement. Funding answers with the
payment and what the client must do next; a repeated request with the same
`Idempotency-Key` never pays twice."""

import re

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.permissions import is_member
from marketplace.challenges.selectors import challenge_for_user
from marketplace.challenges.states import BEFORE_OPENING
from marketplace.core.api.fields import AmountField, MinorUnitsField, minor_units
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import (
    CHALLENGE_ID,
    ConflictSerializer,
    ErrorSerializer,
    InvalidSerializer,
    errors,
)
from marketplace.escrow.serializers import EntrySerializer
from marketplace.escrow.services import challenge_fund, funding_due, subject_of
from payouts.gateways import GatewayUnavailable
from payouts.ledger_queries import payments
from payouts.models import Payment, PaymentState
from payouts.selectors import statement, subject_entries

CLIENT_KEY = re.compile(r"[\x21-\x7e]{1,100}")

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "Up to 100 visible ASCII characters, unique per payment you mean to make. "
        "Repeating the request with the same key answers with the same payment and "
        "never pays twice."
    ),
)


class CurrencyMismatch(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "currency_mismatch"
    default_detail = gettext_lazy("The currency is not the challenge's currency.")


class GatewayDown(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "gateway_unavailable"
    default_detail = gettext_lazy(
        "The payment provider did not answer. Retry with the same Idempotency-Key: "
        "the same payment is retried, so nothing is paid twice."
    )


class FundSerializer(serializers.Serializer):
    amount = AmountField(
        required=False,
        help_text=gettext_lazy(
            'In major units of the challenge\'s currency, as a decimal string ("5250.00"), '
            "at most what is still due (payments on their way count as paid); default: "
            "what is due."
        ),
    )
    payment_method = serializers.CharField(
        required=False,
        max_length=200,
        help_text=gettext_lazy("A payment method id of the gateway (e.g. Stripe's pm_…)."),
    )
    currency = serializers.CharField(
        required=False,
        max_length=10,
        help_text=gettext_lazy(
            "Optional; always the challenge's currency (anything else: “currency_mismatch”)."
        ),
    )


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    # Not an enum in the schema: the name "state" is taken by the challenge's states.
    state = serializers.CharField(help_text=gettext_lazy("pending, succeeded or failed."))
    amount = MinorUnitsField()
    currency = serializers.CharField()
    gateway = serializers.CharField()
    test_money = serializers.BooleanField(
        help_text=gettext_lazy("True for the built-in test gateway: nothing was charged.")
    )
    provider_id = serializers.CharField()
    failure_message = serializers.CharField()
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)


class FundingSerializer(serializers.Serializer):
    pool = MinorUnitsField()
    fee = MinorUnitsField()
    total = MinorUnitsField(help_text=gettext_lazy("Pool + fee: what opening needs."))
    received = MinorUnitsField()
    outstanding = MinorUnitsField()
    excess = MinorUnitsField(help_text=gettext_lazy("Refundable once the challenge has opened."))


class FundResultSerializer(serializers.Serializer):
    payment = PaymentSerializer()
    next_action = serializers.ChoiceField(
        ["none", "confirm_card_payment", "wait", "retry"],
        help_text=gettext_lazy(
            "none: the money arrived. confirm_card_payment: the payer confirms with the "
            "provider using `client_secret`. wait: the provider is processing; the payment "
            "counts once confirmed. retry: the payment failed; send a new request with a "
            "new Idempotency-Key."
        ),
    )
    client_secret = serializers.CharField(allow_null=True)
    funding = FundingSerializer()


class StatementSerializer(serializers.Serializer):
    received = MinorUnitsField()
    fee = MinorUnitsField()
    held = MinorUnitsField(help_text=gettext_lazy("In escrow now."))
    owed = MinorUnitsField(help_text=gettext_lazy("Released to winners, not yet paid out."))
    paid = MinorUnitsField()
    refunded = MinorUnitsField()
    unallocated = MinorUnitsField(
        help_text=gettext_lazy("Received but not in escrow: before opening, or excess.")
    )
    balanced = serializers.BooleanField(
        help_text=gettext_lazy(
            "received = fee + held + owed + paid + refunded + unallocated (always true for "
            "a sound ledger)."
        )
    )


class EscrowSerializer(serializers.Serializer):
    challenge = serializers.IntegerField()
    currency = serializers.CharField()
    statement = StatementSerializer()
    funding = FundingSerializer(
        allow_null=True, help_text=gettext_lazy("What opening needs; null once opened.")
    )
    payments = PaymentSerializer(many=True)
    entries = EntrySerializer(many=True, help_text=gettext_lazy("Oldest first."))


FUND_ERRORS = {
    400: OpenApiResponse(
        InvalidSerializer,
        description=gettext_lazy(
            "Invalid input (“invalid”: e.g. an amount that is not a decimal string such as "
            '"5250.00") '
            "or a currency other than the challenge's (“currency_mismatch”)."
        ),
    ),
    **errors(401, 403, 404),
    409: OpenApiResponse(
        ConflictSerializer,
        description=gettext_lazy(
            "The challenge is not awaiting funding (“not_awaiting_funding”), is already "
            "fully funded (“already_funded”), or the amount is more than is still due, "
            "counting payments on their way (“exceeds_due”)."
        ),
    ),
    503: OpenApiResponse(
        ErrorSerializer,
        description=gettext_lazy(
            "The payment provider did not answer (“gateway_unavailable”). Retry with the "
            "same Idempotency-Key."
        ),
    ),
}


def next_action(payment: Payment) -> str:
    if payment.state == PaymentState.SUCCEEDED:
        return "none"
    if payment.state == PaymentState.FAILED:
        return "retry"
    return "confirm_card_payment" if payment.client_secret else "wait"


def _client_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not CLIENT_KEY.fullmatch(key):
        raise ValidationError(
            {"Idempotency-Key": [_("Use 1 to 100 visible ASCII characters, without spaces.")]}
        )
    # Scoped to the caller, so one client's keys can never meet another's.
    return f"api:{request.user.pk}:{key}"


class ChallengeFundView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="v1_challenges_fund",
        summary=gettext_lazy("Fund the prize pool and fee"),
        description=gettext_lazy(
            "Owners, managers and staff, while the challenge awaits funding. Pays `amount` "
            "(default: what is outstanding of pool + fee) through the configured gateway "
            "and answers with the payment and what to do next. While a payment is on its "
            "way and nothing else is due, answers with that payment instead of starting "
            "another. When the funding covers pool + fee, the challenge may open."
        ),
        parameters=[CHALLENGE_ID, IDEMPOTENCY_KEY],
        request=FundSerializer,
        responses={201: FundResultSerializer, **FUND_ERRORS},
    )
    def post(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        serializer = FundSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("currency", challenge.currency) != challenge.currency:
            raise CurrencyMismatch(
                _("This challenge is funded in %(currency)s only.")
                % {"currency": challenge.currency}
            )
        key = _client_key(request)
        try:
            payment = challenge_fund(
                challenge_id=challenge.pk,
                actor=request.user,
                amount=None
                if data.get("amount") is None
                else minor_units(data["amount"], challenge.currency, "amount"),
                payment_method=data.get("payment_method"),
                idempotency_key=key,
            )
        except GatewayUnavailable:
            if key is None:
                raise GatewayDown(
                    _(
                        "The payment provider did not answer. Send an Idempotency-Key "
                        "with funding requests so that a retry cannot pay twice."
                    )
                ) from None
            raise GatewayDown from None
        action = next_action(payment)
        body = {
            "payment": payment,
            "next_action": action,
            "client_secret": payment.client_secret if action == "confirm_card_payment" else None,
            "funding": funding_due(challenge),
        }
        return Response(FundResultSerializer(body).data, status=status.HTTP_201_CREATED)


class ChallengeEscrowView(APIView):
    @extend_schema(
        operation_id="v1_challenges_escrow",
        summary=gettext_lazy("Escrow statement"),
        description=gettext_lazy(
            "The Seeker's members and staff: the statement figures, every payment and every "
            "ledger entry of the challenge with its legs. Anyone else gets 404."
        ),
        parameters=[CHALLENGE_ID],
        responses={200: EscrowSerializer, **errors(404)},
    )
    def get(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        if not (is_member(request.user, challenge) or is_staff(request.user)):
            raise Http404
        subject = subject_of(challenge)
        body = {
            "challenge": challenge.pk,
            "currency": challenge.currency,
            "statement": statement(subject),
            "funding": funding_due(challenge) if challenge.state in BEFORE_OPENING else None,
            "payments": payments(subject=subject),
            "entries": subject_entries(subject),
        }
        return Response(EscrowSerializer(body).data)
