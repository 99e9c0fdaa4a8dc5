"""Judges from outside the organisation: the owners invite a person by e-mail to judge
one challenge, list the pending invitations and withdraw one. Accepting happens on the
invitation's page (the invited person signs in with the invited address). A challenge
the caller may not see is a 404; a member who is not an owner gets 403."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.permissions import is_member, require_owner_or_staff
from marketplace.challenges.selectors import challenge_for_user
from marketplace.core.api.inputs import validated
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import CHALLENGE_ID, errors
from marketplace.judging.invitations import judge_invitation_revoke, judge_invitation_send
from marketplace.judging.selectors import pending_judge_invitations
from marketplace.judging.serializers import JudgeInvitationSerializer, JudgeInviteSerializer

INVITATION_ID = OpenApiParameter(
    "invitation_id",
    int,
    OpenApiParameter.PATH,
    description=gettext_lazy("The invitation's id."),
)


def _owned_challenge(user, pk: int):
    """The challenge for its owners and staff; 404 for whoever may not see it as a
    member, 403 for the other members."""
    challenge = challenge_for_user(user, pk)
    if not (is_member(user, challenge) or is_staff(user)):
        raise Http404
    require_owner_or_staff(user, challenge)
    return challenge


class ChallengeJudgeInvitationsView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=gettext_lazy("Pending invitations to judge"),
        description=gettext_lazy(
            "Owners and staff: the invitations not yet accepted or withdrawn, newest first "
            "(expired ones too)."
        ),
        parameters=[CHALLENGE_ID],
        responses={200: JudgeInvitationSerializer(many=True), **errors(401, 403, 404)},
    )
    def get(self, request, pk):
        challenge = _owned_challenge(request.user, pk)
        invitations = pending_judge_invitations(challenge)
        return Response(JudgeInvitationSerializer(invitations, many=True).data)

    @extend_schema(
        summary=gettext_lazy("Invite a judge from outside the organisation"),
        description=gettext_lazy(
            "Owners and staff, until judging ends. E-mails a link; once the person signs "
            "in with that address and accepts, they judge this challenge only, without "
            "joining the organisation. A member's address is refused (assign members "
            "directly); inviting a pending address again renews the invitation with a new "
            "link."
        ),
        parameters=[CHALLENGE_ID],
        request=JudgeInviteSerializer,
        responses={201: JudgeInvitationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        challenge = _owned_challenge(request.user, pk)
        data = validated(JudgeInviteSerializer, request.data)
        invitation = judge_invitation_send(
            challenge_id=challenge.pk, actor=request.user, email=data["email"]
        )
        return Response(JudgeInvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class ChallengeJudgeInvitationView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=gettext_lazy("Withdraw an invitation to judge"),
        description=gettext_lazy(
            "Owners and staff. The link stops working; an accepted invitation cannot be "
            "withdrawn (remove the judge instead)."
        ),
        parameters=[CHALLENGE_ID, INVITATION_ID],
        request=None,
        responses={204: None, **errors(400, 401, 403, 404)},
    )
    def delete(self, request, pk, invitation_id):
        challenge = _owned_challenge(request.user, pk)
        invitation = get_object_or_404(challenge.judge_invitations, pk=invitation_id)
        judge_invitation_revoke(invitation_id=invitation.pk, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
