from django.urls import path, re_path

from marketplace.core.api.notfound import NotFoundView
from marketplace.staff.api import (
    StaffDashboardView,
    StaffDeedsView,
    StaffPayoutRetryView,
    StaffPayoutsView,
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
    re_path(r"^staff/", NotFoundView.as_view()),
]
