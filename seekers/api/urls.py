from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from marketplace.core.api.notfound import NotFoundView
from seekers.api.views import InvitationAcceptView, OrganizationViewSet

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")

urlpatterns = [
    path(
        "invitations/<str:token>/accept/", InvitationAcceptView.as_view(), name="invitation-accept"
    ),
    *router.urls,
    re_path(r"^(?:invitations|organizations)/", NotFoundView.as_view()),
]
