"""Challenge endpoints: the catalogue, one challenge, a draft's content (the lifecycle's
and participation's routes under /challenges/{id}/ are theirs). Thin: read through
selectors, write through services; errors are translated by `errors.exception_handler`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import NotAuthenticated

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.catalogue_version import catalogue_key
from marketplace.challenges.params import CatalogueParamsSerializer, catalogue_params
from marketplace.challenges.responses import challenge_response
from marketplace.challenges.selectors import catalogue, challenge_for_user, challenges_for_member
from marketplace.challenges.serializers import (
    ChallengeCreateSerializer,
    ChallengeInputSerializer,
    ChallengeSerializer,
    ChallengeSummarySerializer,
    merged_content,
)
from marketplace.challenges.services import challenge_create, challenge_update
from marketplace.challenges.summaries import SummaryPagination, summaries
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import CHALLENGE_ID, errors


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
            "validated again. Lists (requirements, award_amounts, award_percentages) are "
            "replaced; percentages replace the current award amounts."
        ),
        parameters=[CHALLENGE_ID],
        request=ChallengeInputSerializer(partial=True),
        responses={200: ChallengeSerializer, **errors(400, 401, 403, 404, 409)},
    ),
)
class ChallengeViewSet(viewsets.GenericViewSet):
    parser_classes = [JSONParser]
    pagination_class = SummaryPagination
    lookup_value_regex = r"[0-9]+"

    def list(self, request):
        mine, query = catalogue_params(request.META.get("QUERY_STRING", ""))
        if mine:
            if not request.user.is_authenticated:
                raise NotAuthenticated
            rows, reveal = challenges_for_member(request.user), True
        else:
            rows, reveal = catalogue(query), is_staff(request.user)
            self.paginator.cache_key = catalogue_key("list", repr(query))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(summaries(page, reveal_seeker=reveal))

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
        serializer = _validated(ChallengeInputSerializer, merged_content(challenge, request.data))
        challenge_update(challenge_id=challenge.pk, actor=request.user, data=serializer.to_input())
        return challenge_response(request, challenge.pk)
