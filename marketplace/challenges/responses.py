"""The challenge as a given reader may see it: what they may read (brief, hidden
Seeker) and which transitions they may take now."""

from django.db.models import prefetch_related_objects
from rest_framework import status
from rest_framework.response import Response

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.permissions import can_read_brief, is_member, is_registered
from marketplace.challenges.selectors import challenge_for_user
from marketplace.challenges.serializers import ChallengeSerializer
from marketplace.challenges.transitions import available_transitions


def challenge_response(request, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
    user = request.user
    challenge = challenge_for_user(user, pk)
    prefetch_related_objects([challenge], "planned_awards")  # read by two fields
    context = {
        "request": request,
        "reveal_seeker": is_staff(user) or is_member(user, challenge),
        "can_read_brief": can_read_brief(user, challenge),
        "is_registered": is_registered(user, challenge),
        "available_transitions": [t.name for t in available_transitions(challenge, user)],
    }
    return Response(ChallengeSerializer(challenge, context=context).data, status=status_code)
