from django.urls import path

from . import files, participation, public, staff

urlpatterns = [
    path("", public.home, name="home"),
    path("challenges/", public.catalogue_page, name="catalogue"),
    path("challenges/<int:pk>/", public.challenge_detail, name="challenge_detail"),
    path(
        "challenges/<int:pk>/register/", participation.challenge_register, name="challenge_register"
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
    path("staff/review/", staff.staff_review_queue, name="staff_review_queue"),
    path(
        "staff/challenges/<int:pk>/<slug:action>/",
        staff.staff_challenge_action,
        name="staff_challenge_action",
    ),
]
