"""The lifecycle under /api/v1/: a route per transition and the deadline extension."""

from django.urls import path

from marketplace.lifecycle.api import TRANSITION_VIEWS, ExtendDeadlineView

urlpatterns = [
    path(
        "challenges/<int:pk>/extend-deadline/",
        ExtendDeadlineView.as_view(),
        name="challenge-extend-deadline",
    ),
    *(
        path(f"challenges/<int:pk>/{name}/", view.as_view(), name=f"challenge-{name}")
        for name, view in TRANSITION_VIEWS.items()
    ),
]
