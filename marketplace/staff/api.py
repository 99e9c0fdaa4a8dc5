"""The staff's view of awards' money and documents: signed deeds, payouts (and retrying
a failed one), and the dashboard's figures and series. Anyone who is not staff gets 404,
as if the endpoints did not exist."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from legal.models import AgreementKind
from marketplace.accounts.mfa import StaffHasMfa
from marketplace.accounts.permissions import is_staff
from marketplace.awards.services.payment import award_payout_retry
from marketplace.core.api.fields import CurrencyCodeField, MinorUnitsField
from marketplace.core.api.inputs import query_params
from marketplace.core.api.schema import errors
from marketplace.staff.dashboard_queries import PERIODS, dashboard
from marketplace.staff.queries import ATTENTION, awards_by_reference, staff_deeds, staff_payouts
from payouts.models import Payout, PayoutState

PAYOUT_STATES = [ATTENTION, *PayoutState.values]


class StaffOr404(BasePermission):
    def has_permission(self, request, view):
        if not is_staff(request.user):
            raise NotFound
        return True


class StaffOnly:
    permission_classes = [StaffOr404, StaffHasMfa]


# --- deeds -----------------------------------------------------------------------------


class DeedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text=gettext_lazy("What was signed for: “award:7”."))
    challenge = serializers.SerializerMethodField(
        help_text=gettext_lazy("The award's challenge id; null if the reference names none.")
    )
    signer_id = serializers.IntegerField()
    signer_email = serializers.EmailField(source="signer.email")
    signer_name = serializers.CharField(source="signer.full_name")
    signature = serializers.CharField(help_text=gettext_lazy("The full name the signer typed."))
    template_kind = serializers.ChoiceField(AgreementKind.choices, source="template.kind")
    template_variant = serializers.CharField(source="template.variant")
    template_version = serializers.IntegerField(source="template.version")
    language = serializers.CharField(
        help_text=gettext_lazy("The language of the text signed and of its PDF: “en” or “es”.")
    )
    signed_at = serializers.DateTimeField()
    ip = serializers.IPAddressField(allow_null=True)
    user_agent = serializers.CharField()
    text_sha256 = serializers.CharField()
    pdf_sha256 = serializers.CharField()
    pdf_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The signed PDF (staff only).")
    )

    def get_challenge(self, deed) -> int | None:
        award = self.context["awards"].get(deed.reference)
        return award.challenge_id if award else None

    def get_pdf_url(self, deed) -> str:
        return self.context["request"].build_absolute_uri(reverse("staff_deed_pdf", args=[deed.pk]))


class DeedParams(serializers.Serializer):
    challenge = serializers.IntegerField(
        required=False, min_value=1, help_text=gettext_lazy("Challenge id: its deeds only.")
    )
    signer = serializers.CharField(
        required=False,
        max_length=254,
        help_text=gettext_lazy("Part of the signer's e-mail address or name."),
    )


@extend_schema(
    summary=gettext_lazy("Signed deeds, newest first (staff)"),
    parameters=[DeedParams],
    responses={200: DeedSerializer(many=True), **errors(400, 404)},
)
class StaffDeedsView(StaffOnly, generics.ListAPIView):
    serializer_class = DeedSerializer

    def get_queryset(self):
        params = query_params(DeedParams, self.request)
        return staff_deeds(
            challenge_id=params.get("challenge"), signer=params.get("signer", "").strip()
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {
            **self.get_serializer_context(),
            "awards": awards_by_reference(deed.reference for deed in page),
        }
        return self.get_paginated_response(DeedSerializer(page, many=True, context=context).data)


# --- payouts ---------------------------------------------------------------------------


class PayoutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField(help_text=gettext_lazy("The challenge: “challenge:12”."))
    reference = serializers.CharField(help_text=gettext_lazy("The award: “award:7”."))
    payee_id = serializers.IntegerField()
    payee_email = serializers.EmailField(source="payee.email")
    amount = MinorUnitsField()
    currency = serializers.CharField()
    gateway = serializers.CharField()
    # Not an enum in the schema: the name "state" is taken by the challenge's states.
    state = serializers.CharField(
        help_text=gettext_lazy("pending, succeeded, failed, reversed or cancelled.")
    )
    needs_attention = serializers.BooleanField(
        source="attention", help_text=gettext_lazy("Failed, or tried and not yet confirmed.")
    )
    provider_id = serializers.CharField(help_text=gettext_lazy("The provider's transfer id."))
    destination = serializers.CharField()
    attempts = serializers.IntegerField()
    last_attempt_at = serializers.DateTimeField(allow_null=True)
    failure_message = serializers.CharField()
    test_money = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)


class PayoutParams(serializers.Serializer):
    state = serializers.CharField(
        required=False,
        help_text=gettext_lazy(
            "attention (failed, or tried and not yet confirmed), pending, succeeded, "
            "failed, reversed or cancelled."
        ),
    )
    challenge = serializers.IntegerField(
        required=False, min_value=1, help_text=gettext_lazy("Challenge id: its payouts only.")
    )

    def validate_state(self, value):
        if value not in PAYOUT_STATES:
            raise serializers.ValidationError(
                _("Use one of: %(states)s.") % {"states": ", ".join(PAYOUT_STATES)}
            )
        return value


@extend_schema(
    summary=gettext_lazy("Payouts, those needing attention first (staff)"),
    parameters=[PayoutParams],
    responses={200: PayoutSerializer(many=True), **errors(400, 404)},
)
class StaffPayoutsView(StaffOnly, generics.ListAPIView):
    serializer_class = PayoutSerializer

    def get_queryset(self):
        params = query_params(PayoutParams, self.request)
        return staff_payouts(state=params.get("state", ""), challenge_id=params.get("challenge"))


class StaffPayoutRetryView(StaffOnly, APIView):
    @extend_schema(
        summary=gettext_lazy("Send a failed payout again (staff)"),
        description=gettext_lazy(
            "Makes a failed payout pending again, paid to the payee's account on file now, "
            "and sends it. Answers with the payout as it is after the attempt (with a "
            "background worker it may still be pending). A payout that has not failed is "
            "left as it is."
        ),
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("Payout id."))
        ],
        request=None,
        responses={200: PayoutSerializer, **errors(404)},
    )
    def post(self, request, pk):
        payout = get_object_or_404(Payout, pk=pk)
        award_payout_retry(payout_id=payout.pk, actor=request.user)
        return Response(PayoutSerializer(staff_payouts().get(pk=payout.pk)).data)


# --- dashboard -------------------------------------------------------------------------


class MoneyFiguresSerializer(serializers.Serializer):
    currency = serializers.CharField()
    challenges = serializers.IntegerField(
        help_text=gettext_lazy("Challenges that received money in this currency.")
    )
    received = MinorUnitsField()
    held = MinorUnitsField(help_text=gettext_lazy("In escrow now."))
    owed = MinorUnitsField(help_text=gettext_lazy("Released to winners, not yet paid out."))
    paid = MinorUnitsField(help_text=gettext_lazy("Paid out, less reversals."))
    refunded = MinorUnitsField()
    fees = MinorUnitsField()
    unallocated = MinorUnitsField(help_text=gettext_lazy("Received but not in escrow."))


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(help_text=gettext_lazy("First day of the month or week."))
    held = MinorUnitsField(help_text=gettext_lazy("Escrow balance at the end of the period."))
    paid = MinorUnitsField(help_text=gettext_lazy("Paid out in the period, less reversals."))
    refunded = MinorUnitsField()
    paid_to_date = MinorUnitsField()
    refunded_to_date = MinorUnitsField()


class StateCountSerializer(serializers.Serializer):
    # Not an enum in the schema: the name "state" is taken by the challenge's states.
    state = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class AuditVerdictSerializer(serializers.Serializer):
    clean = serializers.BooleanField()
    breaches = serializers.IntegerField()
    checked_at = serializers.DateTimeField(
        help_text=gettext_lazy("When the audit ran; its verdict is kept a few minutes.")
    )


class DashboardSerializer(serializers.Serializer):
    currencies = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("Currencies the ledger holds.")
    )
    currency = serializers.CharField(allow_null=True)
    period = serializers.ChoiceField(list(PERIODS))
    figures = MoneyFiguresSerializer(allow_null=True)
    series = PeriodSerializer(many=True, help_text=gettext_lazy("Oldest first, without gaps."))
    states = StateCountSerializer(many=True)
    open_challenges = serializers.IntegerField()
    payouts_attention = serializers.IntegerField()
    audit = AuditVerdictSerializer()


class DashboardParams(serializers.Serializer):
    currency = CurrencyCodeField(
        required=False,
        help_text=gettext_lazy("Default: the currency most challenges were funded in."),
    )
    period = serializers.ChoiceField(list(PERIODS), required=False, default="month")


class StaffDashboardView(StaffOnly, APIView):
    @extend_schema(
        summary=gettext_lazy("The dashboard's figures and series (staff)"),
        parameters=[DashboardParams],
        responses={200: DashboardSerializer, **errors(400, 404)},
    )
    def get(self, request):
        return Response(
            DashboardSerializer(dashboard(**query_params(DashboardParams, request))).data
        )
