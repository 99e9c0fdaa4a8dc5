"""Teams under /api/v1/."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from marketplace.core.api.notfound import NotFoundView
from marketplace.teams.api import TeamViewSet

router = SimpleRouter()
router.register("teams", TeamViewSet, basename="team")

urlpatterns = [
    *router.urls,
    re_path(r"^teams/", NotFoundView.as_view()),
]
