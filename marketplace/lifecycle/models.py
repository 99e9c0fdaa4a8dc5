"""Requests to close a challenge early once entries exist: the owner asks with a reason,
staff approve (the challenge closes) or refuse (with a note the owner is told)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EarlyCloseState(models.TextChoices):
    PENDING = "pending", _("Waiting for staff")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class EarlyCloseRequest(models.Model):
    challenge = models.ForeignKey(
        "marketplace.Challenge", on_delete=models.PROTECT, related_name="early_close_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=EarlyCloseState.choices,
        default=EarlyCloseState.PENDING,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("staff note"), blank=True, max_length=1000)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("early-close request")
        verbose_name_plural = _("early-close requests")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge"],
                condition=Q(state="pending"),
                name="early_close_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.challenge_id}: {self.state}"
