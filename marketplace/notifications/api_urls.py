from django.urls import path

from marketplace.notifications.api import (
    NotificationsReadView,
    NotificationsView,
    OrganizationFollowView,
)

urlpatterns = [
    path("notifications/", NotificationsView.as_view(), name="api-notifications"),
    path("notifications/read/", NotificationsReadView.as_view(), name="api-notifications-read"),
    path(
        "organizations/<int:pk>/follow/",
        OrganizationFollowView.as_view(),
        name="api-organization-follow",
    ),
]
