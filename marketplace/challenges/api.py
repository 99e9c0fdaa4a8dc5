"""Challenge endpoints. Thin: read through selectors, write through services; errors
are translated by `errors.exception_handler`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.response import Response

from marketplace.challenges import permissions
from marketplace.challenges.params import CatalogueParamsSerializer
from marketplace.challenges.responses import challenge_response
from marketplace.challenges.selectors import (
    catalogue,
    challenge_for_user,
    challenges_for_member,
    clarifications_for,
)
from marketplace.challenges.serializers import (
    ChallengeCreateSerializer,
    ChallengeInputSerializer,
    ChallengeSerializer,
    ChallengeSummarySerializer,
    ClarificationSerializer,
    ExtendDeadlineSerializer,
    QuestionSerializer,
    RegisterSerializer,
    current_content,
)
from marketplace.challenges.services import challenge_create, challenge_update
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import CHALLENGE_ID, errors
from marketplace.lifecycle.api import with_transition_actions
from marketplace.lifecycle.services import challenge_extend_deadline
from marketplace.participation.services import challenge_register, clarification_ask


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer


@extend_schema_view(
    list=extend_schema(
        summary=_("Challenges: the public catalogue, or with mine=1 your organisations' own"),
        parameters=[CatalogueParamsSerializer],
        responses={200: ChallengeSummarySerializer(many=True), **errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary=_("One challenge"),
        parameters=[CHALLENGE_ID],
        responses={200: ChallengeSerializer, **errors(404)},
    ),
    create=extend_schema(
        summary=_("Create a draft challenge"),
        description=_(
            "Only an owner or manager of `organization` may create; anyone else, "
            "members of other organisations included, gets 403 (“permission_denied”)."
        ),
        request=ChallengeCreateSerializer,
        responses={201: ChallengeSerializer, **errors(400, 401, 403)},
    ),
    update=extend_schema(
        summary=_("Replace a draft challenge's content"),
        parameters=[CHALLENGE_ID],
        request=ChallengeInputSerializer,
        responses={200: ChallengeSerializer, **errors(400, 401, 403, 404, 409)},
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of a draft challenge"),
        description=_(
            "The fields sent are merged into the current content, and the whole is "
            "validated again. Lists (requirements, award_amounts) are replaced."
        ),
        parameters=[CHALLENGE_ID],
        request=ChallengeInputSerializer(partial=True),
        responses={200: ChallengeSerializer, **errors(400, 401, 403, 404, 409)},
    ),
)
@with_transition_actions
class ChallengeViewSet(viewsets.GenericViewSet):
    parser_classes = [JSONParser]
    lookup_value_regex = r"[0-9]+"

    def list(self, request):
        params = _validated(CatalogueParamsSerializer, request.query_params)
        if params.validated_data["mine"]:
            if not request.user.is_authenticated:
                raise NotAuthenticated
            rows, reveal = challenges_for_member(request.user), True
        else:
            rows, reveal = catalogue(params.to_query()), permissions.is_staff(request.user)
        page = self.paginate_queryset(rows)
        data = ChallengeSummarySerializer(page, many=True, context={"reveal_seeker": reveal}).data
        return self.get_paginated_response(data)

    def retrieve(self, request, pk):
        return challenge_response(request, pk)

    def create(self, request):
        serializer = _validated(ChallengeCreateSerializer, request.data)
        challenge = challenge_create(
            organization_id=serializer.validated_data["organization"],
            actor=request.user,
            data=serializer.to_input(),
        )
        return challenge_response(request, challenge.pk, status.HTTP_201_CREATED)

    def update(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        serializer = _validated(ChallengeInputSerializer, request.data)
        challenge_update(challenge_id=challenge.pk, actor=request.user, data=serializer.to_input())
        return challenge_response(request, challenge.pk)

    def partial_update(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        serializer = _validated(
            ChallengeInputSerializer, {**current_content(challenge), **request.data}
        )
        challenge_update(challenge_id=challenge.pk, actor=request.user, data=serializer.to_input())
        return challenge_response(request, challenge.pk)

    @extend_schema(
        summary=_("Move the submission deadline later"),
        description=_(
            "Owners, managers and staff, while awaiting funding or open. "
            "Registered solvers are told by e-mail."
        ),
        parameters=[CHALLENGE_ID],
        request=ExtendDeadlineSerializer,
        responses={200: ChallengeSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="extend-deadline", url_name="extend-deadline")
    def extend_deadline(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        data = _validated(ExtendDeadlineSerializer, request.data).validated_data
        challenge_extend_deadline(
            challenge_id=challenge.pk,
            actor=request.user,
            reason=data["reason"],
            new_deadline=data["submission_deadline"],
            new_judging_deadline=data["judging_deadline"],
        )
        return challenge_response(request, challenge.pk)

    @extend_schema(
        summary=_("Register as a solver"),
        description=_(
            "Registering is accepting the challenge agreement: send the SHA-256 of the "
            "agreement text you showed (GET .../agreement/); a missing or stale hash is "
            "refused with code stale_agreement. Only while open; members of the Seeker "
            "cannot register. Registering twice is harmless. Returns the challenge, now "
            "with its full brief."
        ),
        parameters=[CHALLENGE_ID],
        request=RegisterSerializer,
        responses={200: ChallengeSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def register(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        challenge_register(
            challenge_id=challenge.pk,
            user=request.user,
            accepted_sha256=str(request.data.get("accepted_sha256") or ""),
            ip=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("User-Agent", ""),
        )
        return challenge_response(request, challenge.pk)

    @extend_schema(
        methods=["GET"],
        summary=_("Questions and answers"),
        description=_(
            "Registered solvers see answered questions and their own; the Seeker's "
            "members and staff see all."
        ),
        parameters=[CHALLENGE_ID],
        responses={200: ClarificationSerializer(many=True), **errors(404)},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Ask a question"),
        description=_("Registered solvers, while the challenge is open."),
        parameters=[CHALLENGE_ID],
        request=QuestionSerializer,
        responses={201: ClarificationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["get", "post"])
    def clarifications(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        context = {"request": request}
        if request.method == "POST":
            question = _validated(QuestionSerializer, request.data).validated_data["question"]
            clarification = clarification_ask(
                challenge_id=challenge.pk, user=request.user, question=question
            )
            return Response(
                ClarificationSerializer(clarification, context=context).data,
                status=status.HTTP_201_CREATED,
            )
        page = self.paginate_queryset(clarifications_for(request.user, challenge))
        data = ClarificationSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)
