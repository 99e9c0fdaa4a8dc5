"""Judging and winner selection under /api/v1/."""

from django.urls import path

from marketplace.awards.api_selection import (
    AwardForfeitView,
    AwardFreezeView,
    AwardsFinalizeView,
    AwardUnfreezeView,
    ChallengeAwardsView,
)
from marketplace.judging.api import (
    ChallengeJudgesView,
    ChallengeJudgeView,
    ConflictView,
    EvaluationView,
    JudgingView,
    ScoreboardView,
    ShortlistView,
)

urlpatterns = [
    path("challenges/<int:pk>/judges/", ChallengeJudgesView.as_view(), name="api-challenge-judges"),
    path(
        "challenges/<int:pk>/judges/<int:user_id>/",
        ChallengeJudgeView.as_view(),
        name="api-challenge-judge",
    ),
    path("challenges/<int:pk>/judging/", JudgingView.as_view(), name="api-challenge-judging"),
    path(
        "challenges/<int:pk>/scoreboard/",
        ScoreboardView.as_view(),
        name="api-challenge-scoreboard",
    ),
    path("challenges/<int:pk>/awards/", ChallengeAwardsView.as_view(), name="api-challenge-awards"),
    path(
        "challenges/<int:pk>/awards/finalize/",
        AwardsFinalizeView.as_view(),
        name="api-challenge-awards-finalize",
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
    path("awards/<int:pk>/freeze/", AwardFreezeView.as_view(), name="api-award-freeze"),
    path("awards/<int:pk>/unfreeze/", AwardUnfreezeView.as_view(), name="api-award-unfreeze"),
    path("awards/<int:pk>/forfeit/", AwardForfeitView.as_view(), name="api-award-forfeit"),
]
