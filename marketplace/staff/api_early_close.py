"""Staff deciding on requests to close a challenge early: the pending ones, approving
(the challenge closes, with the owner's reason) and refusing (with a note the owner is
told). Anyone who is not staff gets 404."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.inputs import validated
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import errors
from marketplace.lifecycle.early_close import early_close_approve, early_close_refuse
from marketplace.lifecycle.models import EarlyCloseRequest
from marketplace.lifecycle.selectors import early_close_requests_pending
from marketplace.lifecycle.serializers import (
    EarlyCloseRefuseSerializer,
    EarlyCloseRequestSerializer,
)
from marketplace.staff.api import StaffOnly

REQUEST_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=_("Early-close request id.")
)


class StaffEarlyCloseRequestsView(StaffOnly, APIView):
    @extend_schema(
        summary=_("Requests to close early waiting for staff"),
        description=_("Pending requests of challenges still open, oldest first."),
        responses={200: EarlyCloseRequestSerializer(many=True), **errors(404)},
    )
    def get(self, request):
        rows = early_close_requests_pending()
        return Response(EarlyCloseRequestSerializer(rows, many=True).data)


class StaffEarlyCloseApproveView(StaffOnly, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary=_("Approve a request to close early (staff)"),
        description=_(
            "The challenge closes now (the close_early transition, recorded with the "
            "owner's reason) and its solvers are told. 409 “already_decided” if the "
            "request was decided, “illegal_transition” if the challenge is no longer open."
        ),
        parameters=[REQUEST_ID],
        request=None,
        responses={200: EarlyCloseRequestSerializer, **errors(404, 409)},
    )
    def post(self, request, pk):
        row = get_object_or_404(EarlyCloseRequest, pk=pk)
        row = early_close_approve(request_id=row.pk, actor=request.user)
        return Response(EarlyCloseRequestSerializer(row).data)


class StaffEarlyCloseRefuseView(StaffOnly, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary=_("Refuse a request to close early (staff)"),
        description=_(
            "The challenge stays open; the owner who asked is told, with the note. 409 "
            "“already_decided” if the request was decided."
        ),
        parameters=[REQUEST_ID],
        request=EarlyCloseRefuseSerializer,
        responses={200: EarlyCloseRequestSerializer, **errors(400, 404, 409)},
    )
    def post(self, request, pk):
        row = get_object_or_404(EarlyCloseRequest, pk=pk)
        note = validated(EarlyCloseRefuseSerializer, request.data)["note"]
        row = early_close_refuse(request_id=row.pk, actor=request.user, note=note)
        return Response(EarlyCloseRequestSerializer(row).data)
