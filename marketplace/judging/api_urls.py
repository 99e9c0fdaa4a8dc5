"""Judging under /api/v1/."""

from django.urls import path

from marketplace.judging.api import (
    ChallengeJudgesView,
    ChallengeJudgeView,
    ConflictView,
    EvaluationView,
    JudgingView,
    ReviewView,
    ScoreboardView,
    ShortlistView,
)
from marketplace.judging.api_invitations import (
    ChallengeJudgeInvitationsView,
    ChallengeJudgeInvitationView,
)

urlpatterns = [
    path("challenges/<int:pk>/judges/", ChallengeJudgesView.as_view(), name="api-challenge-judges"),
    path(
        "challenges/<int:pk>/judges/<int:user_id>/",
        ChallengeJudgeView.as_view(),
        name="api-challenge-judge",
    ),
    path(
        "challenges/<int:pk>/judge-invitations/",
        ChallengeJudgeInvitationsView.as_view(),
        name="api-challenge-judge-invitations",
    ),
    path(
        "challenges/<int:pk>/judge-invitations/<int:invitation_id>/",
        ChallengeJudgeInvitationView.as_view(),
        name="api-challenge-judge-invitation",
    ),
    path("challenges/<int:pk>/judging/", JudgingView.as_view(), name="api-challenge-judging"),
    path(
        "challenges/<int:pk>/scoreboard/",
        ScoreboardView.as_view(),
        name="api-challenge-scoreboard",
    ),
    path(
        "submissions/<int:pk>/evaluation/",
        EvaluationView.as_view(),
        name="api-submission-evaluation",
    ),
    path("submissions/<int:pk>/conflict/", ConflictView.as_view(), name="api-submission-conflict"),
    path(
        "submissions/<int:pk>/shortlist/",
        ShortlistView.as_view(),
        name="api-submission-shortlist",
    ),
    path("submissions/<int:pk>/review/", ReviewView.as_view(), name="api-submission-review"),
]
