from django.urls import include, path

from solvers import views
from solvers.submissions import views as submissions

app_name = "solvers"

urlpatterns = [
    path("", include("solvers.urls_awards")),
    path("challenges/", views.my_challenges, name="my_challenges"),
    path("challenges/<int:challenge_pk>/teams/new/", views.team_create, name="team_create"),
    path(
        "challenges/<int:challenge_pk>/submissions/new/",
        submissions.submission_new,
        name="submission_new",
    ),
    path("submissions/", submissions.my_submissions, name="my_submissions"),
    path("submissions/<int:pk>/", submissions.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/edit/", submissions.submission_edit, name="submission_edit"),
    path(
        "submissions/<int:pk>/withdraw/",
        submissions.submission_withdraw,
        name="submission_withdraw",
    ),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile_detail"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/invite/", views.team_invite, name="team_invite"),
    path("teams/<int:pk>/shares/", views.team_shares, name="team_shares"),
    path("teams/<int:pk>/respond/", views.team_respond, name="team_respond"),
    path(
        "teams/<int:pk>/members/<int:user_pk>/withdraw/", views.team_withdraw, name="team_withdraw"
    ),
]
