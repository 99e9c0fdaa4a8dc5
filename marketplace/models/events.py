from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeEvent(models.Model):
    """The transition log: one row for every state change and deadline extension.
    Append-only; the admin shows it read-only."""

    challenge = models.ForeignKey(
        "marketplace.Challenge", on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system acted (for example the deadline sweep)."),
    )
    name = models.CharField(_("transition"), max_length=40)
    from_state = models.CharField(_("from"), max_length=20)
    to_state = models.CharField(_("to"), max_length=20)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("challenge event")
        verbose_name_plural = _("challenge events")

    def __str__(self) -> str:
        return f"{self.challenge_id}: {self.from_state} -> {self.to_state} ({self.name})"
