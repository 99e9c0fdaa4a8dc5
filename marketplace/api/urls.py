from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from .auth import AuthTokenView
from .clarifications import ClarificationAnswerView
from .notfound import NotFoundView
from .views import ChallengeViewSet

router = SimpleRouter()
router.register("challenges", ChallengeViewSet, basename="challenge")

urlpatterns = [
    path("auth/token/", AuthTokenView.as_view(), name="api-token"),
    path(
        "clarifications/<int:pk>/answer/",
        ClarificationAnswerView.as_view(),
        name="clarification-answer",
    ),
    *router.urls,
    re_path(r"^(?:auth|challenges|clarifications)/", NotFoundView.as_view()),
]
