"""Judging and winner selection, under the Seeker's challenge pages."""

from django.urls import path

from seekers.views import awarding, judge_invitations, judging

urlpatterns = [
    path("challenges/<int:pk>/judges/", judging.judges, name="judges"),
    path(
        "challenges/<int:pk>/judges/<int:user_pk>/remove/",
        judging.judge_remove,
        name="judge_remove",
    ),
    path("challenges/<int:pk>/judges/invite/", judge_invitations.invite, name="judge_invite"),
    path(
        "challenges/<int:pk>/judges/invitations/<int:invitation_pk>/revoke/",
        judge_invitations.revoke,
        name="judge_invitation_revoke",
    ),
    path("judge-invitations/<str:token>/", judge_invitations.accept, name="judge_invitation"),
    path("challenges/<int:pk>/judging/", judging.workspace, name="judging"),
    path("challenges/<int:pk>/judging/<int:submission_pk>/", judging.entry, name="judging_entry"),
    path(
        "challenges/<int:pk>/judging/<int:submission_pk>/conflict/",
        judging.conflict,
        name="judging_conflict",
    ),
    path(
        "challenges/<int:pk>/judging/<int:submission_pk>/review/",
        judging.review,
        name="judging_review",
    ),
    path("challenges/<int:pk>/scores/", awarding.scores, name="scores"),
    path(
        "challenges/<int:pk>/scores/<int:submission_pk>/shortlist/",
        awarding.shortlist,
        name="shortlist",
    ),
    path("challenges/<int:pk>/awards/", awarding.awards, name="awards"),
    path("challenges/<int:pk>/awards/finalize/", awarding.finalize, name="awards_finalize"),
    path(
        "challenges/<int:pk>/awards/<int:award_pk>/forfeit/", awarding.forfeit, name="award_forfeit"
    ),
]
