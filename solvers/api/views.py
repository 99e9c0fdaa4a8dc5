"""Solver profile endpoints: my profile and public profiles. Thin: reads through
`solvers.selectors`, writes through `solvers.services`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import errors
from solvers import services
from solvers.api.serializers import (
    ProfileSerializer,
    ProfileUpdateSerializer,
    PublicProfileSerializer,
)
from solvers.selectors import public_profile


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer


class MyProfileView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=_("My solver profile (created private on first use)"),
        responses={200: ProfileSerializer, **errors(401)},
    )
    def get(self, request):
        return Response(ProfileSerializer(services.profile_get_or_create(user=request.user)).data)

    @extend_schema(
        summary=_("Change some fields of my solver profile"),
        request=ProfileUpdateSerializer,
        responses={200: ProfileSerializer, **errors(400, 401)},
    )
    def patch(self, request):
        data = _validated(ProfileUpdateSerializer, request.data).validated_data
        return Response(ProfileSerializer(services.profile_update(user=request.user, **data)).data)


class SolverProfileView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary=_("A public solver profile"),
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("Profile id."))
        ],
        responses={200: PublicProfileSerializer, **errors(404)},
    )
    def get(self, request, pk):
        return Response(PublicProfileSerializer(public_profile(pk)).data)
