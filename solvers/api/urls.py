from django.urls import path, re_path

from marketplace.core.api.notfound import NotFoundView
from solvers.api.views import MyProfileView, SolverProfileView

urlpatterns = [
    path("me/profile/", MyProfileView.as_view(), name="my-profile"),
    path("solvers/<int:pk>/", SolverProfileView.as_view(), name="solver-profile"),
    re_path(r"^(?:me|solvers)/", NotFoundView.as_view()),
]
