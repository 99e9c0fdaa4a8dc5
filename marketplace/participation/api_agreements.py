"""Agreements through the API: the challenge agreement a client shows before registering
(its `sha256` is what `register` expects back), registering (accepting it), and the
staff audit of acceptances."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from legal.models import AgreementKind
from legal.selectors import acceptances
from marketplace.challenges.models import Challenge
from marketplace.challenges.responses import challenge_response
from marketplace.challenges.selectors import challenge_for_user
from marketplace.challenges.serializers import ChallengeSerializer
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import CHALLENGE_ID, errors
from marketplace.core.clients import client_ip
from marketplace.core.references import subject_of
from marketplace.participation.agreements import challenge_agreement
from marketplace.participation.serializers import RegisterSerializer
from marketplace.participation.services import challenge_register


class AgreementSerializer(serializers.Serializer):
    title = serializers.CharField(source="template.title")
    kind = serializers.CharField(
        source="template.kind", help_text=_("The agreement's kind: “challenge”.")
    )
    variant = serializers.CharField(
        source="template.variant", help_text=_("For a challenge agreement: its IP model.")
    )
    version = serializers.IntegerField(source="template.version")
    language = serializers.CharField(
        source="template.language",
        help_text=_(
            "The language of `text`: the request's when the agreement has a text in it, else “en”."
        ),
    )
    text = serializers.CharField(
        help_text=_("Markdown, filled in with this challenge's terms. Show it as it is.")
    )
    sha256 = serializers.CharField(
        help_text=_("SHA-256 of `text` (UTF-8); send it as `accepted_sha256` to register.")
    )


class AcceptanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    accepted_at = serializers.DateTimeField()
    user_email = serializers.EmailField(source="user.email")
    template_id = serializers.IntegerField()
    template_kind = serializers.ChoiceField(AgreementKind.choices, source="template.kind")
    template_variant = serializers.CharField(source="template.variant")
    template_version = serializers.IntegerField(source="template.version")
    language = serializers.CharField(
        help_text=_("The language of the text accepted: “en” or “es”.")
    )
    template_sha256 = serializers.CharField()
    subject = serializers.CharField(help_text=_("“challenge:12” or “site” (terms of use)."))
    text_sha256 = serializers.CharField()
    ip = serializers.IPAddressField(allow_null=True)
    user_agent = serializers.CharField()


class AcceptanceParams(serializers.Serializer):
    user = serializers.CharField(
        required=False, max_length=254, help_text=_("Part of the user's e-mail address.")
    )
    challenge = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Challenge id: its acceptances only.")
    )
    template = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Agreement template (version) id.")
    )


class ChallengeAgreementView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary=_("The challenge agreement to accept"),
        description=_(
            "For anyone who may see the challenge. Registering is accepting exactly this "
            "text: send its `sha256` back to `register`; a changed agreement is refused "
            "there with code “stale_agreement”."
        ),
        parameters=[CHALLENGE_ID],
        responses={200: AgreementSerializer, **errors(404)},
    )
    def get(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        return Response(AgreementSerializer(challenge_agreement(challenge)).data)


class RegisterView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary=_("Register as a solver"),
        description=_(
            "Registering is accepting the challenge agreement: send the SHA-256 of the "
            "agreement text you showed (GET .../agreement/); a missing or stale hash is "
            "refused with code stale_agreement. Only while open; members of the Seeker "
            "cannot register. Registering twice is harmless. Returns the challenge, now "
            "with its full brief."
        ),
        parameters=[CHALLENGE_ID],
        request=RegisterSerializer,
        responses={200: ChallengeSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        challenge_register(
            challenge_id=challenge.pk,
            user=request.user,
            accepted_sha256=str(request.data.get("accepted_sha256") or ""),
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
        return challenge_response(request, challenge.pk)


@extend_schema(
    summary=_("Acceptances of agreements, newest first (staff)"),
    parameters=[AcceptanceParams],
    responses={200: AcceptanceSerializer(many=True), **errors(400, 401, 403)},
)
class AcceptancesView(generics.ListAPIView):
    permission_classes = [IsAdminUser]
    serializer_class = AcceptanceSerializer

    def get_queryset(self):
        params = AcceptanceParams(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return acceptances(
            user_email=data.get("user", "").strip(),
            subject=subject_of(Challenge(pk=data["challenge"])) if "challenge" in data else "",
            template_id=data.get("template"),
        )
