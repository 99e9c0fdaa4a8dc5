from django.urls import path

from marketplace.notifications.api import (
    NotificationsReadView,
    NotificationsView,
    OrganizationFollowView,
)
from marketplace.notifications.api_preferences import MyNotificationPreferencesView

urlpatterns = [
    path(
        "me/notification-preferences/",
        MyNotificationPreferencesView.as_view(),
        name="api-my-notification-preferences",
    ),
    path("notifications/", NotificationsView.as_view(), name="api-notifications"),
    path("notifications/read/", NotificationsReadView.as_view(), name="api-notifications-read"),
    path(
        "organizations/<int:pk>/follow/",
        OrganizationFollowView.as_view(),
        name="api-organization-follow",
    ),
]
