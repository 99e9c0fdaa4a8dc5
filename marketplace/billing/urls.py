from django.urls import path

from marketplace.billing import views

urlpatterns = [
    path("billing/documents/<int:pk>/", views.document_download, name="billing_document"),
]
