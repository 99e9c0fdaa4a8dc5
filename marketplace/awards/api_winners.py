"""The winner's side of awards: my awards, one award (for its recipients, the
challenge's owners and staff), accepting or declining, the deed to read and sign, and
the caller's tax form and payout account.

Thin: writes through `services.awards` and the payouts services; refusals come back
through the error handler (a stale deed hash is "stale_agreement"). An award the caller
may not see is a 404, exactly as an id that does not exist."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.permissions import is_staff
from marketplace.accounts.reauthentication import require_recent_reauthentication
from marketplace.awards.models import AwardRecipient
from marketplace.awards.selectors import award_for_party, shows_winners
from marketplace.awards.serializers import (
    AwardAnonymitySerializer,
    AwardDeclineSerializer,
    AwardSerializer,
    AwardSummarySerializer,
    PayoutAccountSerializer,
    TaxFormInputSerializer,
    TaxFormSerializer,
    WinnerDeedSerializer,
    WinnerDeedSignSerializer,
)
from marketplace.awards.services.claim import award_accept, award_decline, award_deed_sign
from marketplace.awards.services.deeds import award_deed
from marketplace.awards.services.release import winner_tax_form_file
from marketplace.awards.services.results import award_anonymity_set
from marketplace.core.api.inputs import validated
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import AWARD_ID, ConflictSerializer, InvalidSerializer, errors
from marketplace.core.clients import client_ip
from marketplace.core.errors import IllegalTransition
from payouts.gateways import get_gateway
from payouts.selectors import payout_account_of
from payouts.services.tax import payout_ready, tax_form_current

CLAIM_CONFLICTS = OpenApiResponse(
    ConflictSerializer,
    description=gettext_lazy(
        "“claim_expired”: the claim deadline has passed; “award_forfeited”; “no_deed”: "
        "the solver keeps the IP, so there is no deed; “not_forfeitable”: the award can "
        "no longer be declined. `state` is the award's."
    ),
)
SIGN_INVALID = OpenApiResponse(
    InvalidSerializer,
    description=gettext_lazy(
        "“stale_agreement”: the deed's text changed since you read it (read it again); "
        "“invalid”: the name typed is not your full name (`fields.signature`)."
    ),
)


def _recipient(user, pk: int) -> AwardRecipient:
    """The caller's share of the award; 404 if they have none."""
    recipient = (
        AwardRecipient.objects.select_related("award__challenge__organization", "deed__template")
        .filter(award_id=pk, user=user)
        .first()
    )
    if recipient is None:
        raise Http404
    return recipient


def award_body(request, pk: int) -> Response:
    award = award_for_party(request.user, pk)
    context = {
        "staff": is_staff(request.user),
        "reveal": shows_winners(request.user, award),
    }
    return Response(AwardSerializer(award, context=context).data)


def deed_body(recipient: AwardRecipient) -> Response:
    """The deed the caller signed, or else the one they are to sign."""
    deed = recipient.deed
    if deed is not None:
        return Response(
            WinnerDeedSerializer(
                {
                    "kind": deed.template.kind,
                    "title": deed.template.title,
                    "language": deed.language,
                    "text": deed.text,
                    "sha256": deed.text_sha256,
                    "signed": True,
                    "signed_at": deed.signed_at,
                    "pdf_sha256": deed.pdf_sha256,
                }
            ).data
        )
    award = recipient.award
    rendered = award_deed(award=award, user=recipient.user)
    if rendered is None:
        raise IllegalTransition(
            _("The solver keeps the IP: there is no deed to sign."),
            state=award.state,
            code="no_deed",
        )
    return Response(
        WinnerDeedSerializer(
            {
                "kind": rendered.template.kind,
                "title": rendered.template.title,
                "language": rendered.template.language,
                "text": rendered.text,
                "sha256": rendered.sha256,
                "signed": False,
                "signed_at": None,
                "pdf_sha256": None,
            }
        ).data
    )


# --- awards ------------------------------------------------------------------------------


class AwardsView(GenericAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_awards_list",
        summary=gettext_lazy("My awards"),
        description=gettext_lazy(
            "Every award the caller is paid by (alone or as a team member), newest first, "
            "with the caller's share."
        ),
        responses={200: AwardSummarySerializer(many=True), **errors(401)},
    )
    def get(self, request):
        rows = (
            AwardRecipient.objects.filter(user=request.user)
            .select_related("award__challenge")
            .order_by("-award__created_at", "-pk")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AwardSummarySerializer(page, many=True).data)


class AwardView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_awards_retrieve",
        summary=gettext_lazy("One award"),
        description=gettext_lazy(
            "Its recipients, the challenge's owners and staff: the state, amounts, each "
            "recipient's progress (accepted, deed signed with the signed PDF's SHA-256, "
            "tax and payout details on file), the payouts and the certificates. The "
            "gateway's transfer id and failure messages are for staff only. Under blind "
            "judging the owners see who won (each recipient's `user`, each payout's "
            "`payee`, the certificates) only once the winners are chosen. Anyone else "
            "gets 404."
        ),
        parameters=[AWARD_ID],
        responses={200: AwardSerializer, **errors(401, 404)},
    )
    def get(self, request, pk):
        return award_body(request, pk)


class AwardAcceptView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_awards_accept",
        summary=gettext_lazy("Accept the award"),
        description=gettext_lazy(
            "A recipient, before the claim deadline. For a team, one member's acceptance "
            "accepts the award; each member still signs their own deed. Accepting again "
            "changes nothing."
        ),
        parameters=[AWARD_ID],
        request=None,
        responses={200: AwardSerializer, **errors(401, 403, 404), 409: CLAIM_CONFLICTS},
    )
    def post(self, request, pk):
        award = award_for_party(request.user, pk)
        award_accept(award_id=award.pk, user=request.user)
        return award_body(request, pk)


class AwardDeclineView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="v1_awards_decline",
        summary=gettext_lazy("Decline the award"),
        description=gettext_lazy(
            "A recipient, while the award is unclaimed: the award is forfeited (for the "
            "whole team) and its money stays in escrow for the Seeker. Declining a "
            "forfeited award changes nothing."
        ),
        parameters=[AWARD_ID],
        request=AwardDeclineSerializer,
        responses={200: AwardSerializer, **errors(400, 401, 403, 404), 409: CLAIM_CONFLICTS},
    )
    def post(self, request, pk):
        award = award_for_party(request.user, pk)
        reason = validated(AwardDeclineSerializer, request.data).get("reason", "")
        award_decline(award_id=award.pk, user=request.user, reason=reason)
        return award_body(request, pk)


class AwardAnonymityView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="v1_awards_anonymity",
        summary=gettext_lazy("Stay anonymous on the results, or not"),
        description=gettext_lazy(
            "A recipient chooses whether the challenge's public results page names them "
            "and links their certificate (named by default). Refused (409) for a "
            "forfeited award."
        ),
        parameters=[AWARD_ID],
        request=AwardAnonymitySerializer,
        responses={200: AwardSerializer, **errors(400, 401, 404, 409)},
    )
    def post(self, request, pk):
        recipient = _recipient(request.user, pk)
        anonymous = validated(AwardAnonymitySerializer, request.data)["anonymous"]
        award_anonymity_set(award_id=recipient.award_id, user=request.user, anonymous=anonymous)
        return award_body(request, pk)


class AwardDeedView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_awards_deed",
        summary=gettext_lazy("My deed for the award"),
        description=gettext_lazy(
            "A recipient's own deed (IP transfer or licence, by the challenge's IP model): "
            "before signing, the text to sign and its SHA-256; after, the text signed and "
            "the signed PDF's SHA-256. Anyone else gets 404."
        ),
        parameters=[AWARD_ID],
        responses={200: WinnerDeedSerializer, **errors(401, 404), 409: CLAIM_CONFLICTS},
    )
    def get(self, request, pk):
        return deed_body(_recipient(request.user, pk))


class AwardDeedSignView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="v1_awards_deed_sign",
        summary=gettext_lazy("Sign my deed"),
        description=gettext_lazy(
            "A recipient signs their own deed by typing their full name (case and spacing "
            "aside) and sending back the SHA-256 of the text they read. The signed PDF is "
            "stored with its SHA-256. When every recipient has signed, and their tax and "
            "payout details are on file, the award is verified. Signing again returns the "
            "first signature."
        ),
        parameters=[AWARD_ID],
        request=WinnerDeedSignSerializer,
        responses={
            200: WinnerDeedSerializer,
            400: SIGN_INVALID,
            **errors(401, 404),
            409: CLAIM_CONFLICTS,
        },
    )
    def post(self, request, pk):
        recipient = _recipient(request.user, pk)
        data = validated(WinnerDeedSignSerializer, request.data)
        award_deed_sign(
            award_id=recipient.award_id,
            user=request.user,
            accepted_sha256=data["accepted_sha256"],
            signature=data["signature"],
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
        return deed_body(_recipient(request.user, pk))


# --- the caller's tax form and payout account ---------------------------------------------


class MyTaxFormView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="v1_me_tax_form_retrieve",
        summary=gettext_lazy("My tax form"),
        description=gettext_lazy(
            "The caller's current W-9 or W-8BEN. The tax number is never shown again: "
            "only its last four characters. 404 if none is on file."
        ),
        responses={200: TaxFormSerializer, **errors(401, 404)},
    )
    def get(self, request):
        current = tax_form_current(request.user)
        if current is None:
            raise Http404
        return Response(TaxFormSerializer(current).data)

    @extend_schema(
        operation_id="v1_me_tax_form_update",
        summary=gettext_lazy("File a tax form"),
        description=gettext_lazy(
            "File a new W-9 (US persons) or W-8BEN (everyone else); it replaces the one on "
            "file. Every rule is checked and reported per field. Signed awards waiting "
            "only for this are verified at once."
        ),
        request=TaxFormInputSerializer,
        responses={200: TaxFormSerializer, **errors(400, 401, 403)},
    )
    def put(self, request):
        require_recent_reauthentication(request)
        data = dict(validated(TaxFormInputSerializer, request.data))
        filed = winner_tax_form_file(user=request.user, kind=data.pop("kind"), data=data)
        return Response(TaxFormSerializer(filed).data)


def _payout_account(user) -> dict:
    gateway = get_gateway(settings.PAYMENT_GATEWAY).name
    account = payout_account_of(user, gateway)
    return {
        "gateway": gateway,
        "destination": account.destination if account else "",
        "ready": payout_ready(user, gateway),
        "payouts_enabled": account.payouts_enabled if account else None,
        "requirements_due": account.requirements_due if account else [],
    }


class MyPayoutAccountView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_me_payout_account_retrieve",
        summary=gettext_lazy("My payout account"),
        description=gettext_lazy(
            "Where the caller's prizes are paid through the site's gateway, and whether "
            "they can be paid now (the local test gateway needs nothing). Payouts are set "
            "up on the site, through Stripe's own onboarding pages; an account id cannot "
            "be given here."
        ),
        responses={200: PayoutAccountSerializer, **errors(401)},
    )
    def get(self, request):
        return Response(PayoutAccountSerializer(_payout_account(request.user)).data)
