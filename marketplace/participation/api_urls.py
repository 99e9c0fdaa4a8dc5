"""Participation under /api/v1/: the challenge agreement, registering, questions and
answers, and the staff audit of acceptances."""

from django.urls import path

from marketplace.participation.api_agreements import (
    AcceptancesView,
    ChallengeAgreementView,
    RegisterView,
)
from marketplace.participation.api_clarifications import (
    ChallengeClarificationsView,
    ClarificationAnswerView,
)

urlpatterns = [
    path(
        "challenges/<int:pk>/agreement/",
        ChallengeAgreementView.as_view(),
        name="challenge-agreement",
    ),
    path("challenges/<int:pk>/register/", RegisterView.as_view(), name="challenge-register"),
    path(
        "challenges/<int:pk>/clarifications/",
        ChallengeClarificationsView.as_view(),
        name="challenge-clarifications",
    ),
    path(
        "clarifications/<int:pk>/answer/",
        ClarificationAnswerView.as_view(),
        name="clarification-answer",
    ),
    path("acceptances/", AcceptancesView.as_view(), name="acceptances"),
]
