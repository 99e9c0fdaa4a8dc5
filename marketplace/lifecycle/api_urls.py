"""The lifecycle under /api/v1/: a route per transition, the deadline extension and the
requests to close early."""

from django.urls import path

from marketplace.lifecycle.api import TRANSITION_VIEWS, ExtendDeadlineView
from marketplace.lifecycle.api_early_close import EarlyCloseRequestsView

urlpatterns = [
    path(
        "challenges/<int:pk>/extend-deadline/",
        ExtendDeadlineView.as_view(),
        name="challenge-extend-deadline",
    ),
    path(
        "challenges/<int:pk>/early-close-requests/",
        EarlyCloseRequestsView.as_view(),
        name="challenge-early-close-requests",
    ),
    *(
        path(f"challenges/<int:pk>/{name}/", view.as_view(), name=f"challenge-{name}")
        for name, view in TRANSITION_VIEWS.items()
    ),
]
