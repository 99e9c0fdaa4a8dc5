from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from .auth import AuthTokenView
from .clarifications import ClarificationAnswerView
from .escrow import ChallengeEscrowView, ChallengeFundView
from .ledger import LedgerAccountsView, LedgerAuditView, LedgerEntriesView
from .notfound import NotFoundView
from .views import ChallengeViewSet

router = SimpleRouter()
router.register("challenges", ChallengeViewSet, basename="challenge")

urlpatterns = [
    path("auth/token/", AuthTokenView.as_view(), name="api-token"),
    path(
        "clarifications/<int:pk>/answer/",
        ClarificationAnswerView.as_view(),
        name="clarification-answer",
    ),
    path("challenges/<int:pk>/fund/", ChallengeFundView.as_view(), name="challenge-fund"),
    path("challenges/<int:pk>/escrow/", ChallengeEscrowView.as_view(), name="challenge-escrow"),
    path("ledger/accounts/", LedgerAccountsView.as_view(), name="ledger-accounts"),
    path("ledger/entries/", LedgerEntriesView.as_view(), name="ledger-entries"),
    path("ledger/audit/", LedgerAuditView.as_view(), name="ledger-audit"),
    *router.urls,
    re_path(r"^(?:auth|challenges|clarifications|ledger)/", NotFoundView.as_view()),
]
