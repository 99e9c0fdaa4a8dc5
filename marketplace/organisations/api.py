"""Organisation endpoints: my organisations, their members, invitations. Thin: reads
through `selectors.py`, writes through `services.py`. Organisations you do not belong
to are 404; owner-only actions by other members are 403."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.reauthentication import require_recent_reauthentication
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import errors
from marketplace.core.api.throttling import DEFAULT_SCOPE
from marketplace.organisations.selectors import (
    members_of,
    organization_for_member,
    organizations_of,
)
from marketplace.organisations.serializers import (
    InvitationCreateSerializer,
    InvitationSerializer,
    MembershipSerializer,
    OrganizationCreateSerializer,
    OrganizationSerializer,
    RoleSerializer,
)
from marketplace.organisations.services import (
    invitation_accept,
    invitation_send,
    membership_change_role,
    membership_remove,
    organization_create,
)

ORG_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("Organisation id."))
MEMBERSHIP_ID = OpenApiParameter(
    "membership_id",
    int,
    OpenApiParameter.PATH,
    description=_("Membership id (from the members list)."),
)


def _validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(
        summary=_("Organisations I belong to"),
        responses={200: OrganizationSerializer(many=True), **errors(401)},
    ),
    create=extend_schema(
        summary=_("Found an organisation (you become its owner)"),
        request=OrganizationCreateSerializer,
        responses={201: OrganizationSerializer, **errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary=_("One of my organisations"),
        parameters=[ORG_ID],
        responses={200: OrganizationSerializer, **errors(401, 404)},
    ),
)
class OrganizationViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    lookup_value_regex = r"[0-9]+"
    write_scope = DEFAULT_SCOPE  # the invitations action has its own

    def list(self, request):
        page = self.paginate_queryset(organizations_of(request.user))
        return self.get_paginated_response(OrganizationSerializer(page, many=True).data)

    def create(self, request):
        org = organization_create(
            owner=request.user, **_validated(OrganizationCreateSerializer, request.data)
        )
        return Response(OrganizationSerializer(org).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, pk):
        return Response(OrganizationSerializer(organization_for_member(request.user, pk)).data)

    @extend_schema(
        summary=_("Members and their roles"),
        parameters=[ORG_ID],
        responses={200: MembershipSerializer(many=True), **errors(401, 404)},
    )
    @action(detail=True, methods=["get"])
    def members(self, request, pk):
        org = organization_for_member(request.user, pk)
        page = self.paginate_queryset(members_of(org))
        return self.get_paginated_response(MembershipSerializer(page, many=True).data)

    @extend_schema(
        summary=_("Invite someone by e-mail (owners)"),
        parameters=[ORG_ID],
        request=InvitationCreateSerializer,
        description=_(
            "A pending invitation to the same address is renewed and sent again (200, "
            "same id) instead of a new one (201), at most once a day (else 429 "
            "“already_invited”); an organisation sends at most a set number of "
            "invitations a day (else 429 “invitation_limit”). A 429 says in Retry-After "
            "and “retry_after” how many seconds to wait."
        ),
        responses={
            200: InvitationSerializer,
            201: InvitationSerializer,
            **errors(400, 401, 403, 404, 429),
        },
    )
    @action(detail=True, methods=["post"], write_scope="invitations")
    def invitations(self, request, pk):
        org = organization_for_member(request.user, pk)
        require_recent_reauthentication(request)
        invitation = invitation_send(
            organization_id=org.pk,
            actor=request.user,
            **_validated(InvitationCreateSerializer, request.data),
        )
        renewed = invitation.times_sent > 1
        return Response(
            InvitationSerializer(invitation).data,
            status=status.HTTP_200_OK if renewed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["PATCH"],
        summary=_("Change a member's role (owners)"),
        parameters=[ORG_ID, MEMBERSHIP_ID],
        request=RoleSerializer,
        responses={200: MembershipSerializer, **errors(400, 401, 403, 404)},
    )
    @extend_schema(
        methods=["DELETE"],
        summary=_("Remove a member (owners)"),
        parameters=[ORG_ID, MEMBERSHIP_ID],
        request=None,
        responses={204: None, **errors(400, 401, 403, 404)},
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_name="member",
        url_path=r"members/(?P<membership_id>[0-9]+)",
    )
    def member(self, request, pk, membership_id):
        org = organization_for_member(request.user, pk)
        membership = members_of(org).filter(pk=membership_id).first()
        if membership is None:
            raise Http404
        require_recent_reauthentication(request)
        if request.method == "DELETE":
            membership_remove(membership_id=membership.pk, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        role = _validated(RoleSerializer, request.data)["role"]
        membership = membership_change_role(
            membership_id=membership.pk, actor=request.user, role=role
        )
        return Response(MembershipSerializer(membership).data)


class InvitationAcceptView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=_("Accept an invitation"),
        description=_("Signed in with the address the invitation was sent to."),
        parameters=[
            OpenApiParameter(
                "token",
                str,
                OpenApiParameter.PATH,
                description=_("The token from the invitation e-mail."),
            )
        ],
        request=None,
        responses={200: MembershipSerializer, **errors(400, 401, 403)},
    )
    def post(self, request, token):
        membership = invitation_accept(token=token, user=request.user)
        return Response(MembershipSerializer(membership).data)
