"""The Seeker's public answer to a solver's question."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.challenges.selectors import challenges_visible_to, clarifications_for
from marketplace.challenges.serializers import AnswerSerializer, ClarificationSerializer
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import errors
from marketplace.participation.services import clarification_answer


class ClarificationAnswerView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary=_("Answer a question (or correct the answer)"),
        description=_(
            "Owners and managers of the Seeker, while the challenge is open, closed "
            "or judging. Every solver of the challenge then sees the answer."
        ),
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("Clarification id."))
        ],
        request=AnswerSerializer,
        responses={200: ClarificationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        user = request.user
        challenge = challenges_visible_to(user).filter(clarifications__pk=pk).first()
        if challenge is None or not clarifications_for(user, challenge).filter(pk=pk).exists():
            raise Http404
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        clarification = clarification_answer(
            clarification_id=pk, actor=user, answer=serializer.validated_data["answer"]
        )
        return Response(ClarificationSerializer(clarification, context={"request": request}).data)
