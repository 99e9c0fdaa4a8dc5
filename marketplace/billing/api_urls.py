from django.urls import path

from marketplace.billing.api import ChallengeBillingDocumentsView

urlpatterns = [
    path(
        "challenges/<int:pk>/billing-documents/",
        ChallengeBillingDocumentsView.as_view(),
        name="challenge-billing-documents",
    ),
]
