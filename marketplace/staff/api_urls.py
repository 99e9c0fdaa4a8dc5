from django.urls import path, re_path

from marketplace.core.api.notfound import NotFoundView
from marketplace.staff.api import (
    StaffDashboardView,
    StaffDeedsView,
    StaffPayoutRetryView,
    StaffPayoutsView,
)
from marketplace.staff.api_early_close import (
    StaffEarlyCloseApproveView,
    StaffEarlyCloseRefuseView,
    StaffEarlyCloseRequestsView,
)

urlpatterns = [
    path("staff/deeds/", StaffDeedsView.as_view(), name="api-staff-deeds"),
    path("staff/payouts/", StaffPayoutsView.as_view(), name="api-staff-payouts"),
    path(
        "staff/payouts/<int:pk>/retry/",
        StaffPayoutRetryView.as_view(),
        name="api-staff-payout-retry",
    ),
    path("staff/dashboard/", StaffDashboardView.as_view(), name="api-staff-dashboard"),
    path(
        "staff/early-close-requests/",
        StaffEarlyCloseRequestsView.as_view(),
        name="api-staff-early-close-requests",
    ),
    path(
        "staff/early-close-requests/<int:pk>/approve/",
        StaffEarlyCloseApproveView.as_view(),
        name="api-staff-early-close-approve",
    ),
    path(
        "staff/early-close-requests/<int:pk>/refuse/",
        StaffEarlyCloseRefuseView.as_view(),
        name="api-staff-early-close-refuse",
    ),
    re_path(r"^staff/", NotFoundView.as_view()),
]
