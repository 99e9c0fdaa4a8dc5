"""Open ideation: the public side of an entry to a challenge with `open_ideation`. An
idea is a `Submission`; its `Idea` row keeps the support count (written only by
`services`, with an F() update, so no concurrent supporter is lost), when it reached the
challenge's threshold, and whether staff hid it. Supports are one per person per idea
(a database constraint); comments and reports hang off the idea."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COMMENT_MAX = 5000
REASON_MAX = 1000


class Idea(models.Model):
    submission = models.OneToOneField(
        "marketplace.Submission",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="idea",
    )
    supports = models.PositiveIntegerField(_("support"), default=0)
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(_("reason"), max_length=REASON_MAX, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        constraints = [models.CheckConstraint(condition=Q(supports__gte=0), name="idea_supports")]

    def __str__(self) -> str:
        return f"idea {self.submission_id}: {self.supports}"


class Support(models.Model):
    submission = models.ForeignKey(
        "marketplace.Submission", on_delete=models.PROTECT, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["user", "submission"], name="support_once")]
        indexes = [models.Index(fields=["submission", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} supports {self.submission_id}"


class Comment(models.Model):
    submission = models.ForeignKey(
        "marketplace.Submission", on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="idea_comments"
    )
    body = models.TextField(_("comment (Markdown)"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(_("reason"), max_length=REASON_MAX, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.submission_id}"


class Report(models.Model):
    """Someone asks staff to look at an idea, or at one of its comments."""

    submission = models.ForeignKey(
        "marketplace.Submission", on_delete=models.PROTECT, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"report {self.pk} on {self.submission_id}"
