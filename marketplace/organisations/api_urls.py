"""Organisations, members and invitations under /api/v1/."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from marketplace.core.api.notfound import NotFoundView
from marketplace.organisations.api import InvitationAcceptView, OrganizationViewSet

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")

urlpatterns = [
    path(
        "invitations/<str:token>/accept/", InvitationAcceptView.as_view(), name="invitation-accept"
    ),
    *router.urls,
    re_path(r"^(?:invitations|organizations)/", NotFoundView.as_view()),
]
