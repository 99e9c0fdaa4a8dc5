from django.db import models
from django.utils.translation import gettext_lazy as _


class GatewayEvent(models.Model):
    """A provider's webhook, stored as received before anything is done with it. The
    unique (gateway, event_id) pair makes a redelivery a no-op."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        PROCESSED = "processed", _("Processed")
        IGNORED = "ignored", _("Ignored (not relevant)")
        UNKNOWN = "unknown", _("Flagged: unknown payment")
        FAILED = "failed", _("Failed")

    gateway = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("gateway event")
        verbose_name_plural = _("gateway events")
        constraints = [
            models.UniqueConstraint(fields=["gateway", "event_id"], name="gateway_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.gateway}:{self.event_id} {self.type}"
