from django.urls import path

from marketplace.privacy import views

urlpatterns = [
    path("account/data/", views.personal_data_page, name="personal_data"),
    path("account/data/export/", views.personal_export, name="personal_export"),
    path(
        "account/data/exports/<str:token>/",
        views.personal_export_download,
        name="personal_export_download",
    ),
    path("account/data/erase/", views.personal_data_erasure, name="personal_data_erasure"),
]
