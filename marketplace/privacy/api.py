"""The caller's own data: ask for an export (built in the background and e-mailed as
a link that expires) or erase themselves."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import errors
from marketplace.privacy.services import personal_data_erase, personal_export_request


class ExportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField(help_text=_("“pending” until the e-mail with the link is sent."))
    requested_at = serializers.DateTimeField()


class ErasureInputSerializer(serializers.Serializer):
    confirmation = serializers.CharField(
        max_length=254, help_text=_("Your e-mail address, typed to confirm.")
    )
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class ErasureSerializer(serializers.Serializer):
    erased_at = serializers.DateTimeField()


class PersonalExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_me_export",
        summary=_("Export your data"),
        description=_(
            "Prepares a zip of everything the platform holds about you (data.json and "
            "your files) and e-mails you a link to it, which works for you only and "
            "expires. One export at a time: 409 (“export_pending”) while one is being "
            "prepared."
        ),
        request=None,
        responses={202: ExportSerializer, **errors(401, 409)},
    )
    def post(self, request):
        row = personal_export_request(user=request.user)
        return Response(ExportSerializer(row).data, status=status.HTTP_202_ACCEPTED)


class PersonalErasureView(APIView):
    permission_classes = [IsAuthenticated]
    write_scope = "erasure"  # slows password guessing by whoever holds a session or token
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="v1_me_erase",
        summary=_("Erase your data"),
        description=_(
            "Anonymises your account (name, e-mail addresses, profile), ends your "
            "sessions and API tokens, and keeps what the law requires: ledger entries, "
            "payouts, tax forms, accepted agreements, signed deeds and certificates. "
            "Needs your password and your e-mail address as confirmation. Refused "
            "(409, “erasure_refused”) while a prize of yours is not settled or you are "
            "the only owner of an organisation."
        ),
        request=ErasureInputSerializer,
        responses={200: ErasureSerializer, **errors(400, 401, 409, 429)},
    )
    def post(self, request):
        serializer = ErasureInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = personal_data_erase(user=request.user, **serializer.validated_data)
        return Response(ErasureSerializer({"erased_at": row.completed_at}).data)
