from django.urls import path

from solvers.awards import views

urlpatterns = [
    path("awards/", views.award_list, name="awards"),
    path("awards/<int:pk>/", views.award_detail, name="award_detail"),
    path("awards/<int:pk>/accept/", views.award_accept, name="award_accept"),
    path("awards/<int:pk>/decline/", views.award_decline, name="award_decline"),
    path("awards/<int:pk>/sign/", views.award_sign, name="award_sign"),
    path("awards/<int:pk>/anonymity/", views.award_anonymity, name="award_anonymity"),
    path("awards/<int:pk>/tax-form/", views.award_tax_form, name="award_tax_form"),
    path(
        "awards/<int:pk>/payout-setup/",
        views.award_payout_setup,
        name="award_payout_setup",
    ),
    path("awards/<int:pk>/deeds/<int:user_pk>.pdf", views.award_deed_pdf, name="award_deed_pdf"),
    path("tax-form/", views.tax_form, name="tax_form"),
    path("payout-details/", views.payout_details, name="payout_details"),
    path("payout-setup/", views.payout_setup, name="payout_setup"),
    path("payout-setup/return/", views.payout_setup_return, name="payout_setup_return"),
    path("payout-setup/refresh/", views.payout_setup_refresh, name="payout_setup_refresh"),
]
