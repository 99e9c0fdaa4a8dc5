"""A person's requests about their own data: an export (a zip of everything the
platform holds about them, downloadable for a while) or an erasure. Each row is also
the audit record staff read: who asked for what, and when it was done."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PrivacyRequestKind(models.TextChoices):
    EXPORT = "export", _("Export of personal data")
    ERASURE = "erasure", _("Erasure of personal data")


class PrivacyRequestState(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    DONE = "done", _("Done")
    EXPIRED = "expired", _("Expired")


class PrivacyRequest(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="privacy_requests"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PrivacyRequestKind.choices)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PrivacyRequestState.choices,
        default=PrivacyRequestState.PENDING,
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    archive = models.FileField(_("archive"), max_length=255, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(kind=PrivacyRequestKind.EXPORT, state=PrivacyRequestState.PENDING),
                name="privacy_one_export_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for user {self.user_id}"
