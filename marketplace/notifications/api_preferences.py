"""The caller's notification preferences: how they hear of each kind they receive."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import errors
from marketplace.notifications.models import Delivery, NotificationKind
from marketplace.notifications.preferences import Choice, preferences_of, preferences_set

DELIVERY_HELP = format_lazy(
    "{} {}",
    _("email: e-mailed at once; digest: in one e-mail a day; in_app: in the app only. One of:"),
    ", ".join(Delivery.values),
)


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text=format_lazy("{} {}", _("One of:"), ", ".join(NotificationKind.values))
    )
    label = serializers.CharField(read_only=True, help_text=_("In the request's language."))
    group = serializers.CharField(read_only=True, help_text=_("solver, seeker or staff."))
    delivery = serializers.CharField(help_text=DELIVERY_HELP)


class PreferencesSerializer(serializers.Serializer):
    preferences = PreferenceSerializer(many=True)


class PreferencesUpdateSerializer(serializers.Serializer):
    preferences = PreferenceSerializer(
        many=True,
        max_length=len(NotificationKind.values),
        help_text=_("The kinds to change; the others keep their delivery."),
    )


def _body(choices: list[Choice]) -> dict:
    return {
        "preferences": [
            {
                "kind": choice.kind,
                "label": choice.label,
                "group": choice.group.key,
                "delivery": choice.delivery,
            }
            for choice in choices
        ]
    }


class MyNotificationPreferencesView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="v1_me_notification_preferences_retrieve",
        summary=_("My notification preferences"),
        description=_(
            "Each kind of notification you can receive and how you hear of it besides the "
            "in-app list. Without a choice, a kind is e-mailed at once."
        ),
        responses={200: PreferencesSerializer, **errors(401)},
    )
    def get(self, request):
        return Response(PreferencesSerializer(_body(preferences_of(request.user))).data)

    @extend_schema(
        operation_id="v1_me_notification_preferences_update",
        summary=_("Change my notification preferences"),
        description=_(
            "Sets the delivery of the kinds given. A kind you do not receive, or an unknown "
            "delivery, is a 400 and nothing changes. Answers with every preference."
        ),
        request=PreferencesUpdateSerializer,
        responses={200: PreferencesSerializer, **errors(400, 401)},
    )
    def put(self, request):
        serializer = PreferencesUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        choices = {
            item["kind"]: item["delivery"] for item in serializer.validated_data["preferences"]
        }
        return Response(
            PreferencesSerializer(_body(preferences_set(user=request.user, choices=choices))).data
        )
