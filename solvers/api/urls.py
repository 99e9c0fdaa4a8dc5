from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from marketplace.core.api.notfound import NotFoundView
from solvers.api.views import MyProfileView, SolverProfileView, TeamViewSet

router = SimpleRouter()
router.register("teams", TeamViewSet, basename="team")

urlpatterns = [
    path("me/profile/", MyProfileView.as_view(), name="my-profile"),
    path("solvers/<int:pk>/", SolverProfileView.as_view(), name="solver-profile"),
    *router.urls,
    re_path(r"^(?:me|solvers|teams)/", NotFoundView.as_view()),
]
