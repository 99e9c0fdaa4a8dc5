from django.urls import include, path

from seekers.views import (
    challenges,
    closing,
    dashboard,
    editor,
    funding,
    organisations,
    submissions,
)

app_name = "seekers"

urlpatterns = [
    path("", include("seekers.urls_judging")),
    path("", dashboard.dashboard, name="dashboard"),
    path("organisations/new/", organisations.organization_create, name="organization_create"),
    path(
        "organisations/<int:pk>/", organisations.organization_members, name="organization_members"
    ),
    path(
        "organisations/<int:pk>/billing/",
        organisations.organization_billing,
        name="organization_billing",
    ),
    path(
        "organisations/<int:org_pk>/members/<int:pk>/role/",
        organisations.membership_role,
        name="membership_role",
    ),
    path(
        "organisations/<int:org_pk>/members/<int:pk>/remove/",
        organisations.membership_remove,
        name="membership_remove",
    ),
    path("organisations/<int:org_pk>/challenges/new/", editor.create, name="challenge_create"),
    path("invitations/<str:token>/", organisations.invitation_accept, name="invitation_accept"),
    path("challenges/<int:pk>/", challenges.manage, name="challenge_manage"),
    path("challenges/<int:pk>/edit/", editor.edit, name="challenge_edit"),
    path(
        "challenges/<int:pk>/transition/<str:name>/",
        challenges.transition,
        name="challenge_transition",
    ),
    path("challenges/<int:pk>/close-early/", closing.close_early, name="challenge_close_early"),
    path("challenges/<int:pk>/extend/", challenges.extend_deadline, name="challenge_extend"),
    path("challenges/<int:pk>/fund/", funding.fund, name="challenge_fund"),
    path("challenges/<int:pk>/proforma/", funding.proforma, name="challenge_proforma"),
    path(
        "challenges/<int:pk>/payments/<int:payment_pk>/status/",
        funding.payment_status,
        name="challenge_payment_status",
    ),
    path(
        "challenges/<int:pk>/refund-excess/", funding.refund_excess, name="challenge_refund_excess"
    ),
    path("challenges/<int:pk>/submissions/", submissions.submissions, name="submissions"),
    path(
        "challenges/<int:pk>/submissions/<int:submission_pk>/",
        submissions.submission_detail,
        name="submission_detail",
    ),
    path(
        "challenges/<int:pk>/attachments/", challenges.attachment_upload, name="attachment_upload"
    ),
    path(
        "challenges/<int:pk>/attachments/<int:attachment_pk>/remove/",
        challenges.attachment_delete,
        name="attachment_remove",
    ),
]
