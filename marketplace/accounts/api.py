"""API tokens: exchange an e-mail address and password for a token to send as
`Authorization: Token <key>`. Like the site's log-in, it needs a verified address, and
an account with two-factor authentication also sends a code (app or recovery code)."""

from allauth.account.utils import has_verified_email
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.mfa import code_accepted
from marketplace.core.api.schema import errors


class TokenCredentialsSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    code = serializers.CharField(
        required=False,
        help_text=_(
            "With two-factor authentication: a code from the authenticator app, "
            "or an unused recovery code."
        ),
    )

    def validate(self, attrs):
        user = authenticate(
            self.context["request"], email=attrs["email"].lower(), password=attrs["password"]
        )
        if user is None:
            raise serializers.ValidationError(_("The e-mail address or password is wrong."))
        if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory" and not has_verified_email(
            user, user.email
        ):
            raise serializers.ValidationError(
                _("Verify your e-mail address first: follow the link we sent you.")
            )
        if is_mfa_enabled(user) and not code_accepted(user, attrs.get("code", "")):
            raise serializers.ValidationError(
                {"code": [_("Send a valid code from your authenticator app or a recovery code.")]}
            )
        return {"user": user}


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class AuthTokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    write_scope = "token"  # slows password guessing: a few attempts a minute per address

    @extend_schema(
        summary=_("Get your API token"),
        auth=[],
        request=TokenCredentialsSerializer,
        responses={200: TokenSerializer, **errors(400, 429)},
    )
    def post(self, request):
        serializer = TokenCredentialsSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
