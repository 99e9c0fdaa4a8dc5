"""The caller's notifications (worded in the request's language, with the unread
count) and following Seeker organisations."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.fields import IdField
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import errors
from marketplace.notifications import follows
from marketplace.notifications.kinds import notification_message
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import (
    notifications_for,
    notifications_mark_read,
    unread_count,
)

ORGANIZATION_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description=_("Organisation id.")
)
UNREAD_ONLY = OpenApiParameter(
    "unread", bool, OpenApiParameter.QUERY, description=_("Only the unread ones.")
)
PAGE = OpenApiParameter("page", int, OpenApiParameter.QUERY, description=_("Page number."))
MAX_IDS = 1000


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(
        help_text=format_lazy("{} {}", _("One of:"), ", ".join(NotificationKind.values))
    )
    subject = serializers.CharField(help_text=_("A headline, in the request's language."))
    text = serializers.CharField(help_text=_("What happened, in the request's language."))
    note = serializers.CharField(help_text=_("A further line (a reason, a share), or empty."))
    url = serializers.CharField(help_text=_("The page it is about."))
    challenge = serializers.IntegerField(allow_null=True)
    award = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    unread = serializers.IntegerField(help_text=_("Unread notifications in all."))
    results = NotificationSerializer(many=True, help_text=_("Newest first."))


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=IdField(),
        required=False,
        max_length=MAX_IDS,
        help_text=_("The notifications to mark read; all of yours when left out."),
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many were unread and are now read."))
    unread = serializers.IntegerField()


class FollowSerializer(serializers.Serializer):
    organization = IdField()
    following = serializers.BooleanField()


def _item(request, notification) -> dict:
    message = notification_message(notification)
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "subject": message.subject,
        "text": message.text,
        "note": message.note,
        "url": request.build_absolute_uri(message.url),
        "challenge": notification.challenge_id,
        "award": notification.award_id,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


class NotificationsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_notifications_list",
        summary=_("Your notifications"),
        description=_(
            "Newest first, a page at a time, each worded in the request's language, with "
            "the number still unread."
        ),
        parameters=[UNREAD_ONLY, PAGE],
        responses={200: NotificationPageSerializer, **errors(401, 404)},
    )
    def get(self, request):
        rows = notifications_for(request.user)
        if request.query_params.get("unread") in ("1", "true", "True"):
            rows = rows.filter(read_at__isnull=True)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        body = {
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "unread": unread_count(request.user),
            "results": [_item(request, n) for n in page],
        }
        return Response(NotificationPageSerializer(body).data)


class NotificationsReadView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="v1_notifications_read",
        summary=_("Mark notifications read"),
        description=_(
            "Marks the given notifications of yours read, or all of them when no `ids` are "
            "sent. Ids that are not yours are ignored."
        ),
        request=MarkReadSerializer,
        responses={200: MarkedSerializer, **errors(400, 401)},
    )
    def post(self, request):
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = notifications_mark_read(
            user=request.user, ids=serializer.validated_data.get("ids")
        )
        body = {"marked": marked, "unread": unread_count(request.user)}
        return Response(MarkedSerializer(body).data)


class OrganizationFollowView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_organizations_follow",
        summary=_("Follow an organisation"),
        description=_(
            "Be notified when the organisation opens a challenge. Only organisations that "
            "show their name on a published challenge can be followed; any other id is a "
            "404. Following twice changes nothing."
        ),
        parameters=[ORGANIZATION_ID],
        request=None,
        responses={200: FollowSerializer, **errors(401, 404)},
    )
    def post(self, request, pk):
        try:
            follows.organization_follow(organization_id=pk, user=request.user)
        except ObjectDoesNotExist:
            raise Http404 from None
        return Response(FollowSerializer({"organization": pk, "following": True}).data)

    @extend_schema(
        operation_id="v1_organizations_unfollow",
        summary=_("Stop following an organisation"),
        description=_("Answers 204 whether or not you followed it."),
        parameters=[ORGANIZATION_ID],
        responses={204: None, **errors(401)},
    )
    def delete(self, request, pk):
        follows.organization_unfollow(organization_id=pk, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
