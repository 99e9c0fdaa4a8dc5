from django.urls import path

from solvers.awards import views

urlpatterns = [
    path("awards/", views.award_list, name="awards"),
    path("awards/<int:pk>/", views.award_detail, name="award_detail"),
    path("awards/<int:pk>/accept/", views.award_accept, name="award_accept"),
    path("awards/<int:pk>/decline/", views.award_decline, name="award_decline"),
    path("awards/<int:pk>/sign/", views.award_sign, name="award_sign"),
    path("awards/<int:pk>/tax-form/", views.award_tax_form, name="award_tax_form"),
    path(
        "awards/<int:pk>/payout-details/",
        views.award_payout_details,
        name="award_payout_details",
    ),
    path("awards/<int:pk>/deeds/<int:user_pk>.pdf", views.award_deed_pdf, name="award_deed_pdf"),
    path("tax-form/", views.tax_form, name="tax_form"),
    path("payout-details/", views.payout_details, name="payout_details"),
]
