from django.urls import path

from marketplace.notifications import views as notifications

urlpatterns = [
    path("notifications/", notifications.notifications_page, name="notifications"),
    path(
        "notifications/preferences/",
        notifications.notification_preferences,
        name="notification_preferences",
    ),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path(
        "organizations/<int:pk>/follow/",
        notifications.organization_follow,
        name="organization_follow",
    ),
    path(
        "organizations/<int:pk>/unfollow/",
        notifications.organization_unfollow,
        name="organization_unfollow",
    ),
]
