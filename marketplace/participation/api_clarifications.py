"""Questions and answers through the API: a challenge's clarifications, a solver asking,
and the Seeker's public answer."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.challenges.selectors import challenge_for_user, challenges_visible_to
from marketplace.core.api.inputs import validated
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import CHALLENGE_ID, errors
from marketplace.participation.selectors import clarifications_for
from marketplace.participation.serializers import (
    AnswerSerializer,
    ClarificationSerializer,
    QuestionSerializer,
)
from marketplace.participation.services import clarification_answer, clarification_ask


class ChallengeClarificationsView(GenericAPIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary=_("Questions and answers"),
        description=_(
            "Registered solvers see answered questions and their own; the Seeker's "
            "members and staff see all."
        ),
        parameters=[CHALLENGE_ID],
        responses={200: ClarificationSerializer(many=True), **errors(404)},
    )
    def get(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        page = self.paginate_queryset(clarifications_for(request.user, challenge))
        data = ClarificationSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary=_("Ask a question"),
        description=_("Registered solvers, while the challenge is open."),
        parameters=[CHALLENGE_ID],
        request=QuestionSerializer,
        responses={201: ClarificationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        question = validated(QuestionSerializer, request.data)["question"]
        clarification = clarification_ask(
            challenge_id=challenge.pk, user=request.user, question=question
        )
        return Response(
            ClarificationSerializer(clarification, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


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
