from django.urls import path

from marketplace.ideation import views

urlpatterns = [
    path("ideas/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/support/", views.idea_support, name="idea_support"),
    path("ideas/<int:pk>/comments/", views.idea_comment, name="idea_comment"),
    path("ideas/<int:pk>/report/", views.idea_report, name="idea_report"),
]
