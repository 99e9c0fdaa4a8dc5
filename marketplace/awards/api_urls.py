"""Awards under /api/v1/: the owner's selection and the winner's side."""

from django.urls import path, re_path

from marketplace.awards.api_selection import (
    AwardForfeitView,
    AwardFreezeView,
    AwardsFinalizeView,
    AwardUnfreezeView,
    ChallengeAwardsView,
)
from marketplace.awards.api_winners import (
    AwardAcceptView,
    AwardAnonymityView,
    AwardDeclineView,
    AwardDeedSignView,
    AwardDeedView,
    AwardsView,
    AwardView,
    MyPayoutAccountView,
    MyTaxFormView,
)
from marketplace.core.api.notfound import NotFoundView

urlpatterns = [
    path("challenges/<int:pk>/awards/", ChallengeAwardsView.as_view(), name="api-challenge-awards"),
    path(
        "challenges/<int:pk>/awards/finalize/",
        AwardsFinalizeView.as_view(),
        name="api-challenge-awards-finalize",
    ),
    path("awards/<int:pk>/freeze/", AwardFreezeView.as_view(), name="api-award-freeze"),
    path("awards/<int:pk>/unfreeze/", AwardUnfreezeView.as_view(), name="api-award-unfreeze"),
    path("awards/<int:pk>/forfeit/", AwardForfeitView.as_view(), name="api-award-forfeit"),
    path("awards/", AwardsView.as_view(), name="api-awards"),
    path("awards/<int:pk>/", AwardView.as_view(), name="api-award"),
    path("awards/<int:pk>/accept/", AwardAcceptView.as_view(), name="api-award-accept"),
    path("awards/<int:pk>/decline/", AwardDeclineView.as_view(), name="api-award-decline"),
    path("awards/<int:pk>/anonymity/", AwardAnonymityView.as_view(), name="api-award-anonymity"),
    path("awards/<int:pk>/deed/", AwardDeedView.as_view(), name="api-award-deed"),
    path("awards/<int:pk>/deed/sign/", AwardDeedSignView.as_view(), name="api-award-deed-sign"),
    path("me/tax-form/", MyTaxFormView.as_view(), name="api-my-tax-form"),
    path("me/payout-account/", MyPayoutAccountView.as_view(), name="api-my-payout-account"),
    re_path(r"^awards/", NotFoundView.as_view()),
]
