from django.urls import path, re_path

from marketplace.awards.api_winners import (
    AwardAcceptView,
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
    path("awards/", AwardsView.as_view(), name="api-awards"),
    path("awards/<int:pk>/", AwardView.as_view(), name="api-award"),
    path("awards/<int:pk>/accept/", AwardAcceptView.as_view(), name="api-award-accept"),
    path("awards/<int:pk>/decline/", AwardDeclineView.as_view(), name="api-award-decline"),
    path("awards/<int:pk>/deed/", AwardDeedView.as_view(), name="api-award-deed"),
    path("awards/<int:pk>/deed/sign/", AwardDeedSignView.as_view(), name="api-award-deed-sign"),
    path("me/tax-form/", MyTaxFormView.as_view(), name="api-my-tax-form"),
    path("me/payout-account/", MyPayoutAccountView.as_view(), name="api-my-payout-account"),
    re_path(r"^awards/", NotFoundView.as_view()),
]
