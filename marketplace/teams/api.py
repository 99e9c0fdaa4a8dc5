"""Team endpoints. Thin: reads through `selectors.py`, writes through `services.py`.
A team is visible to its members, its invitees and staff; to everyone else it is a
404. Captain-only actions by others are 403; changes after the submission deadline are
409 (“team_final”)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from marketplace.challenges.selectors import challenge_for_user
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import ConflictSerializer, errors
from marketplace.core.api.throttling import DEFAULT_SCOPE
from marketplace.teams import services
from marketplace.teams.selectors import team_for_user, teams_of
from marketplace.teams.serializers import (
    SharesSerializer,
    TeamCreateSerializer,
    TeamInviteSerializer,
    TeamMemberSerializer,
    TeamRespondSerializer,
    TeamSerializer,
    TeamWithdrawSerializer,
)

TEAM_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("Team id."))
TEAM_CONFLICT = {
    409: OpenApiResponse(
        ConflictSerializer,
        description=_(
            "Not possible now: “team_final” (the submission deadline has passed), "
            "“not_open” (the challenge is not open), “in_another_team” or “not_invited”."
        ),
    )
}


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer


class TeamViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    lookup_value_regex = r"[0-9]+"
    write_scope = DEFAULT_SCOPE  # the invitations action has its own

    def _team_response(self, request, pk, status_code=status.HTTP_200_OK) -> Response:
        return Response(TeamSerializer(team_for_user(request.user, pk)).data, status=status_code)

    @extend_schema(
        summary=_("Teams I am in or invited to"),
        responses={200: TeamSerializer(many=True), **errors(401)},
    )
    def list(self, request):
        page = self.paginate_queryset(teams_of(request.user))
        return self.get_paginated_response(TeamSerializer(page, many=True).data)

    @extend_schema(
        summary=_("Form a team for a challenge you registered for (you become its captain)"),
        request=TeamCreateSerializer,
        responses={201: TeamSerializer, **errors(400, 401, 403, 404), **TEAM_CONFLICT},
    )
    def create(self, request):
        data = _validated(TeamCreateSerializer, request.data).validated_data
        challenge = challenge_for_user(request.user, data["challenge"])
        team = services.team_create(
            challenge_id=challenge.pk, captain=request.user, name=data["name"]
        )
        return self._team_response(request, team.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("One of my teams, with its members and shares"),
        parameters=[TEAM_ID],
        responses={200: TeamSerializer, **errors(401, 404)},
    )
    def retrieve(self, request, pk):
        return self._team_response(request, pk)

    @extend_schema(
        summary=_("Invite someone by e-mail (captain)"),
        parameters=[TEAM_ID],
        request=TeamInviteSerializer,
        responses={201: TeamMemberSerializer, **errors(400, 401, 403, 404), **TEAM_CONFLICT},
    )
    @action(detail=True, methods=["post"], write_scope="invitations")
    def invitations(self, request, pk):
        team = team_for_user(request.user, pk)
        email = _validated(TeamInviteSerializer, request.data).validated_data["email"]
        member = services.team_invite(team_id=team.pk, actor=request.user, email=email)
        return Response(TeamMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Accept or decline my invitation"),
        description=_("Joining splits the shares equally again among the active members."),
        parameters=[TEAM_ID],
        request=TeamRespondSerializer,
        responses={200: TeamMemberSerializer, **errors(400, 401, 403, 404), **TEAM_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk):
        team = team_for_user(request.user, pk)
        accept = _validated(TeamRespondSerializer, request.data).validated_data["accept"]
        member = services.team_invitation_respond(team_id=team.pk, user=request.user, accept=accept)
        return Response(TeamMemberSerializer(member).data)

    @extend_schema(
        summary=_("Declare the shares (captain)"),
        description=_(
            "Every active member exactly once, each 0 to 10,000 basis points, adding up to "
            "exactly 10,000. Refused from the submission deadline on."
        ),
        parameters=[TEAM_ID],
        request=SharesSerializer,
        responses={200: TeamSerializer, **errors(400, 401, 403, 404), **TEAM_CONFLICT},
    )
    @action(detail=True, methods=["put"])
    def shares(self, request, pk):
        team = team_for_user(request.user, pk)
        shares = _validated(SharesSerializer, request.data).as_dict()
        services.team_set_shares(team_id=team.pk, actor=request.user, shares=shares)
        return self._team_response(request, team.pk)

    @extend_schema(
        summary=_("Leave the team, or remove a member (captain)"),
        description=_(
            "The shares of those who stay are split equally again. The captain leaves "
            "last. Refused from the submission deadline on."
        ),
        parameters=[TEAM_ID],
        request=TeamWithdrawSerializer,
        responses={200: TeamMemberSerializer, **errors(400, 401, 403, 404), **TEAM_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk):
        team = team_for_user(request.user, pk)
        data = _validated(TeamWithdrawSerializer, request.data).validated_data
        member = services.team_member_withdraw(
            team_id=team.pk, user_id=data.get("user", request.user.pk), actor=request.user
        )
        return Response(TeamMemberSerializer(member).data)
