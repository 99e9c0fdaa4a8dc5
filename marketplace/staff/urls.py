"""Staff pages of challenges, awards, payouts, signed deeds and the dashboard."""

from django.urls import path

from marketplace.staff import award_views as staff_awards
from marketplace.staff import challenge_views as staff_challenges
from marketplace.staff import dashboard as staff_dashboard
from marketplace.staff import early_close_views as staff_early_close
from marketplace.staff import idea_views as staff_ideas
from marketplace.staff import payout_account_views as staff_payout_accounts
from marketplace.staff import wire_views as staff_wire

urlpatterns = [
    path("staff/ideas/", staff_ideas.staff_ideas, name="staff_ideas"),
    path("staff/ideas/<int:pk>/hide/", staff_ideas.staff_idea_hide, name="staff_idea_hide"),
    path(
        "staff/ideas/comments/<int:pk>/hide/",
        staff_ideas.staff_comment_hide,
        name="staff_comment_hide",
    ),
    path("staff/challenges/", staff_challenges.staff_challenges_page, name="staff_challenges"),
    path("staff/awards/", staff_awards.staff_awards_page, name="staff_awards"),
    path(
        "staff/awards/<int:pk>/forfeit/",
        staff_awards.staff_award_forfeit,
        name="staff_award_forfeit",
    ),
    path(
        "staff/awards/<int:pk>/freeze/",
        staff_awards.staff_award_freeze,
        name="staff_award_freeze",
    ),
    path(
        "staff/awards/<int:pk>/unfreeze/",
        staff_awards.staff_award_unfreeze,
        name="staff_award_unfreeze",
    ),
    path("staff/payouts/", staff_awards.staff_payouts_page, name="staff_payouts"),
    path("staff/payouts.csv", staff_awards.staff_payouts_csv, name="staff_payouts_csv"),
    path(
        "staff/payouts/<int:pk>/retry/",
        staff_awards.staff_payout_retry,
        name="staff_payout_retry",
    ),
    path(
        "staff/payout-accounts/",
        staff_payout_accounts.staff_payout_accounts,
        name="staff_payout_accounts",
    ),
    path("staff/deeds/", staff_awards.staff_deeds_page, name="staff_deeds"),
    path("staff/deeds.csv", staff_awards.staff_deeds_csv, name="staff_deeds_csv"),
    path("staff/deeds/<int:pk>.pdf", staff_awards.staff_deed_pdf, name="staff_deed_pdf"),
    path("staff/bank-transfers/", staff_wire.staff_wire_page, name="staff_wire"),
    path(
        "staff/bank-transfers/refunds/<int:pk>/sent/",
        staff_wire.staff_wire_refund_sent,
        name="staff_wire_refund_sent",
    ),
    path("staff/dashboard/", staff_dashboard.staff_dashboard, name="staff_dashboard"),
    path(
        "staff/early-close/<int:pk>/approve/",
        staff_early_close.staff_early_close_approve,
        name="staff_early_close_approve",
    ),
    path(
        "staff/early-close/<int:pk>/refuse/",
        staff_early_close.staff_early_close_refuse,
        name="staff_early_close_refuse",
    ),
]
