from django.urls import path

from marketplace.privacy.api import PersonalErasureView, PersonalExportView

urlpatterns = [
    path("me/export/", PersonalExportView.as_view(), name="api-me-export"),
    path("me/erase/", PersonalErasureView.as_view(), name="api-me-erase"),
]
