"""Closing early once entries exist, through the API: the owner asks (and the
organisation's owners and managers read the requests) at
/challenges/{id}/early-close-requests/; staff decide under /staff/ (`staff/api.py`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.permissions import is_editor
from marketplace.challenges.selectors import challenge_for_user
from marketplace.core.api.inputs import validated
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import CHALLENGE_ID, errors
from marketplace.core.errors import NotAllowed
from marketplace.lifecycle.early_close import early_close_request
from marketplace.lifecycle.selectors import early_close_requests_of
from marketplace.lifecycle.serializers import EarlyCloseAskSerializer, EarlyCloseRequestSerializer


class EarlyCloseRequestsView(APIView):
    parser_classes = [JSONParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=gettext_lazy("Requests to close the challenge early"),
        description=gettext_lazy("Owners, managers and staff; oldest first."),
        parameters=[CHALLENGE_ID],
        responses={200: EarlyCloseRequestSerializer(many=True), **errors(401, 403, 404)},
    )
    def get(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        if not (is_editor(request.user, challenge) or is_staff(request.user)):
            raise NotAllowed(_("Only the organisation's owners and managers can see these."))
        rows = early_close_requests_of(challenge)
        return Response(EarlyCloseRequestSerializer(rows, many=True).data)

    @extend_schema(
        summary=gettext_lazy("Ask staff to close the challenge early"),
        description=gettext_lazy(
            "Owners only, while the challenge is open and once an entry has been submitted "
            "(before that, the owner closes it with close_early). One request waits at a "
            "time; staff approve it (the challenge closes) or refuse it with a note."
        ),
        parameters=[CHALLENGE_ID],
        request=EarlyCloseAskSerializer,
        responses={201: EarlyCloseRequestSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        data = validated(EarlyCloseAskSerializer, request.data)
        row = early_close_request(
            challenge_id=challenge.pk, actor=request.user, reason=data["reason"]
        )
        return Response(EarlyCloseRequestSerializer(row).data, status=status.HTTP_201_CREATED)
