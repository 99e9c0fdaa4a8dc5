from django.urls import include, path

from marketplace.awards import views as awards
from marketplace.challenges import downloads as files
from marketplace.challenges import views as public
from marketplace.challenges.feeds import ChallengeAtomFeed, ChallengeFeed
from marketplace.escrow import views as escrow
from marketplace.participation import views as participation
from marketplace.staff import agreement_views as agreements
from marketplace.staff import ledger_views as ledger
from marketplace.staff import views as staff
from marketplace.submissions import views as submission_files

urlpatterns = [
    path("", include("marketplace.staff.urls")),
    path("", include("marketplace.notifications.urls")),
    path("", include("marketplace.privacy.urls")),
    path("", include("marketplace.billing.urls")),
    path("", include("marketplace.ideation.urls")),
    path("", public.home, name="home"),
    path("challenges/", public.catalogue_page, name="catalogue"),
    path("challenges/feed/rss/", ChallengeFeed(), name="catalogue_rss"),
    path("challenges/feed/atom/", ChallengeAtomFeed(), name="catalogue_atom"),
    path("challenges/<int:pk>/preview.png", public.challenge_preview, name="challenge_preview"),
    path(
        "challenges/<int:pk>/deadlines.ics", public.challenge_deadlines, name="challenge_deadlines"
    ),
    path("challenges/<int:pk>/", participation.challenge_detail, name="challenge_detail"),
    path(
        "challenges/<int:pk>/register/", participation.challenge_register, name="challenge_register"
    ),
    path(
        "challenges/<int:pk>/agreement/accepted/",
        participation.agreement_accepted,
        name="agreement_accepted",
    ),
    path(
        "challenges/<int:pk>/clarifications/",
        participation.clarification_ask,
        name="clarification_ask",
    ),
    path(
        "challenges/<int:pk>/clarifications/<int:clarification_id>/answer/",
        participation.clarification_answer,
        name="clarification_answer",
    ),
    path(
        "challenges/<int:pk>/files/<int:attachment_id>/",
        files.attachment_download,
        name="attachment_download",
    ),
    path(
        "submissions/<int:submission_pk>/files/<int:file_pk>/",
        submission_files.submission_file_download,
        name="submission_file_download",
    ),
    path("challenges/<int:pk>/results/", awards.challenge_results_page, name="challenge_results"),
    path("challenges/<int:pk>/escrow/", escrow.escrow_statement, name="escrow_statement"),
    path("challenges/<int:pk>/escrow.csv", escrow.escrow_csv, name="escrow_csv"),
    path("terms/", public.terms, name="terms"),
    path("certificates/<uuid:uuid>/", awards.certificate_verify, name="certificate_verify"),
    path(
        "certificates/<uuid:uuid>/certificate.pdf",
        awards.certificate_pdf,
        name="certificate_pdf",
    ),
    path("staff/review/", staff.staff_review_queue, name="staff_review_queue"),
    path("staff/agreements/", agreements.acceptance_audit, name="acceptance_audit"),
    path("staff/agreements.csv", agreements.acceptance_audit_csv, name="acceptance_audit_csv"),
    path("staff/agreements/<int:pk>/", agreements.acceptance_detail, name="acceptance_detail"),
    path(
        "staff/challenges/<int:pk>/<slug:action>/",
        staff.staff_challenge_action,
        name="staff_challenge_action",
    ),
    path("staff/ledger/", ledger.ledger_accounts, name="ledger_accounts"),
    path("staff/ledger/accounts/<int:pk>/", ledger.ledger_account, name="ledger_account"),
    path("staff/ledger/entries/", ledger.ledger_entries, name="ledger_entries"),
    path("staff/ledger/payments/", ledger.ledger_payments, name="ledger_payments"),
    path("staff/ledger/refunds/", ledger.ledger_refunds, name="ledger_refunds"),
    path("staff/ledger/events/", ledger.ledger_events, name="ledger_events"),
    path("staff/ledger/audit/", ledger.ledger_audit, name="ledger_audit"),
]
