"""Open ideation under /api/v1/ideas/: a challenge's ideas (sorted), one idea, support
and withdraw it, its comments, reports, and staff hiding an idea or a comment. Reading
needs no account; the rest a signed-in person (supporting and commenting, a verified
e-mail). The services' refusals answer as everywhere (400, 403, 409, 429)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.challenges.selectors import challenge_for_user
from marketplace.core.api.inputs import query_params, validated
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import errors
from marketplace.core.clients import client_ip
from marketplace.ideation import services
from marketplace.ideation.models import Comment
from marketplace.ideation.selectors import comments_of, idea_support_count, ideas_of, supports
from marketplace.ideation.serializers import (
    CommentInputSerializer,
    CommentSerializer,
    HideInputSerializer,
    IdeaDetailSerializer,
    IdeaListQuerySerializer,
    IdeaSerializer,
    ReportInputSerializer,
    SupportSerializer,
)
from marketplace.ideation.views import idea_or_404
from marketplace.submissions.permissions import is_author_or_staff

IDEA_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("Idea id."))
COMMENT_ID = OpenApiParameter(
    "comment_id", int, OpenApiParameter.PATH, description=_("Comment id.")
)


class IdeasView(GenericAPIView):
    @extend_schema(
        summary=_("A challenge's ideas"),
        description=_(
            "The public ideas of an open-ideation challenge (or of all), sorted by support, newest or "
            "trending; one query whatever the number of ideas and supporters."
        ),
        parameters=[IdeaListQuerySerializer],
        responses={200: IdeaSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request):
        query = query_params(IdeaListQuerySerializer, request)
        challenge = None
        if "challenge" in query:
            challenge = challenge_for_user(request.user, query["challenge"])
            if not challenge.open_ideation:
                raise Http404
        page = self.paginate_queryset(ideas_of(challenge, request.user, query["sort"]))
        return self.get_paginated_response(IdeaSerializer(page, many=True).data)


def _detail(request, submission) -> dict:
    idea = getattr(submission, "idea", None)
    hidden = idea is not None and idea.hidden_at is not None
    shown_reason = hidden and is_author_or_staff(request.user, submission)
    return IdeaDetailSerializer(
        {
            "id": submission.pk,
            "challenge": submission.challenge_id,
            "title": submission.title,
            "abstract": submission.abstract,
            "body": submission.body,
            "author": submission.author.full_name,
            "created_at": submission.created_at,
            "version": submission.version,
            "licence": submission.challenge.idea_licence,
            "supports": idea_support_count(submission),
            "supported": supports(request.user, submission),
            "threshold_reached_at": idea.threshold_reached_at if idea else None,
            "hidden_reason": idea.hidden_reason if shown_reason else None,
        }
    ).data


class IdeaView(APIView):
    @extend_schema(
        summary=_("One idea"),
        parameters=[IDEA_ID],
        responses={200: IdeaDetailSerializer, **errors(404)},
    )
    def get(self, request, pk):
        return Response(_detail(request, idea_or_404(request.user, pk)))


class IdeaSupportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=_("Support an idea"),
        description=_(
            "Once per person, not one's own idea, until the deadline; limited per account "
            "and per address."
        ),
        parameters=[IDEA_ID],
        request=None,
        responses={200: SupportSerializer, **errors(401, 403, 404, 409, 429)},
    )
    def post(self, request, pk):
        idea = idea_or_404(request.user, pk)
        count = services.idea_support(
            submission_id=idea.pk, user=request.user, ip=client_ip(request)
        )
        return Response({"supports": count, "supported": True})

    @extend_schema(
        summary=_("Withdraw one's support"),
        parameters=[IDEA_ID],
        request=None,
        responses={200: SupportSerializer, **errors(401, 404, 409)},
    )
    def delete(self, request, pk):
        idea = idea_or_404(request.user, pk)
        count = services.idea_support_withdraw(submission_id=idea.pk, user=request.user)
        return Response({"supports": count, "supported": False})


class IdeaCommentsView(GenericAPIView):
    parser_classes = [JSONParser]

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "POST" else []

    @extend_schema(
        summary=_("An idea's comments"),
        description=_("A hidden comment keeps its place, without its text."),
        parameters=[IDEA_ID],
        responses={200: CommentSerializer(many=True), **errors(404)},
    )
    def get(self, request, pk):
        idea = idea_or_404(request.user, pk)
        page = self.paginate_queryset(comments_of(idea))
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(
        summary=_("Comment on an idea"),
        description=_("Signed in with a verified e-mail; Markdown, at most 5,000 characters."),
        parameters=[IDEA_ID],
        request=CommentInputSerializer,
        responses={201: CommentSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        idea = idea_or_404(request.user, pk)
        body = validated(CommentInputSerializer, request.data)["body"]
        comment = services.idea_comment(submission_id=idea.pk, author=request.user, body=body)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class IdeaReportView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=_("Report an idea or one of its comments"),
        parameters=[IDEA_ID],
        request=ReportInputSerializer,
        responses={201: None, **errors(400, 401, 404)},
    )
    def post(self, request, pk):
        idea = idea_or_404(request.user, pk)
        data = validated(ReportInputSerializer, request.data)
        services.idea_report(
            submission_id=idea.pk,
            reporter=request.user,
            reason=data["reason"],
            comment_id=data.get("comment"),
        )
        return Response(status=status.HTTP_201_CREATED)


class IdeaHideView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=_("Hide an idea (staff)"),
        description=_("With a reason its authors read; its open reports are resolved."),
        parameters=[IDEA_ID],
        request=HideInputSerializer,
        responses={200: IdeaDetailSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request, pk):
        idea = idea_or_404(request.user, pk)
        reason = validated(HideInputSerializer, request.data)["reason"]
        services.idea_hide(submission_id=idea.pk, actor=request.user, reason=reason)
        return Response(_detail(request, idea_or_404(request.user, pk)))


class CommentHideView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=_("Hide a comment (staff)"),
        description=_("With a reason its author reads."),
        parameters=[COMMENT_ID],
        request=HideInputSerializer,
        responses={200: CommentSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request, comment_id):
        comment = get_object_or_404(Comment, pk=comment_id)
        idea_or_404(request.user, comment.submission_id)
        reason = validated(HideInputSerializer, request.data)["reason"]
        hidden = services.comment_hide(comment_id=comment.pk, actor=request.user, reason=reason)
        return Response(CommentSerializer(hidden).data)
