from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from marketplace.accounts.api import AuthTokenView
from marketplace.challenges.api import ChallengeViewSet
from marketplace.core.api.notfound import NotFoundView
from marketplace.escrow.api import ChallengeEscrowView, ChallengeFundView
from marketplace.staff.api_ledger import LedgerAccountsView, LedgerAuditView, LedgerEntriesView
from marketplace.submissions.api import (
    ChallengeSubmissionsView,
    SubmissionFilesView,
    SubmissionFileView,
    SubmissionVersionsView,
    SubmissionView,
)

router = SimpleRouter()
router.register("challenges", ChallengeViewSet, basename="challenge")

urlpatterns = [
    path("", include("marketplace.judging.api_urls")),
    path("", include("marketplace.awards.api_urls")),
    path("", include("marketplace.staff.api_urls")),
    path("", include("marketplace.notifications.api_urls")),
    path("", include("marketplace.organisations.api_urls")),
    path("", include("marketplace.teams.api_urls")),
    path("", include("marketplace.lifecycle.api_urls")),
    path("", include("marketplace.participation.api_urls")),
    path("", include("marketplace.privacy.api_urls")),
    path("", include("marketplace.billing.api_urls")),
    path("", include("marketplace.ideation.api_urls")),
    path("auth/token/", AuthTokenView.as_view(), name="api-token"),
    path("challenges/<int:pk>/fund/", ChallengeFundView.as_view(), name="challenge-fund"),
    path("challenges/<int:pk>/escrow/", ChallengeEscrowView.as_view(), name="challenge-escrow"),
    path("ledger/accounts/", LedgerAccountsView.as_view(), name="ledger-accounts"),
    path("ledger/entries/", LedgerEntriesView.as_view(), name="ledger-entries"),
    path("ledger/audit/", LedgerAuditView.as_view(), name="ledger-audit"),
    path(
        "challenges/<int:pk>/submissions/",
        ChallengeSubmissionsView.as_view(),
        name="api-challenge-submissions",
    ),
    path("submissions/<int:pk>/", SubmissionView.as_view(), name="api-submission"),
    path("submissions/<int:pk>/files/", SubmissionFilesView.as_view(), name="api-submission-files"),
    path(
        "submissions/<int:pk>/files/<int:file_id>/",
        SubmissionFileView.as_view(),
        name="api-submission-file",
    ),
    path(
        "submissions/<int:pk>/versions/",
        SubmissionVersionsView.as_view(),
        name="api-submission-versions",
    ),
    *router.urls,
    re_path(
        r"^(?:acceptances|auth|challenges|clarifications|ideas|ledger|submissions)/",
        NotFoundView.as_view(),
    ),
]
