"""Open ideation under /api/v1/ideas/."""

from django.urls import path

from marketplace.ideation import api

urlpatterns = [
    path("ideas/", api.IdeasView.as_view(), name="api-ideas"),
    path("ideas/<int:pk>/", api.IdeaView.as_view(), name="api-idea"),
    path("ideas/<int:pk>/support/", api.IdeaSupportView.as_view(), name="api-idea-support"),
    path("ideas/<int:pk>/comments/", api.IdeaCommentsView.as_view(), name="api-idea-comments"),
    path("ideas/<int:pk>/reports/", api.IdeaReportView.as_view(), name="api-idea-reports"),
    path("ideas/<int:pk>/hide/", api.IdeaHideView.as_view(), name="api-idea-hide"),
    path(
        "ideas/comments/<int:comment_id>/hide/",
        api.CommentHideView.as_view(),
        name="api-comment-hide",
    ),
]
