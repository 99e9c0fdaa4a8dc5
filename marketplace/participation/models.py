from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.challenges.catalogue_version import CatalogueRow


class Registration(CatalogueRow):
    """A solver registered for a challenge by accepting its agreement; required to read
    the full brief and attachments, ask questions and submit."""

    challenge = models.ForeignKey(
        "marketplace.Challenge", on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    acceptance = models.ForeignKey(
        "legal.Acceptance",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        help_text=_("The challenge agreement the solver accepted to register."),
    )

    # A registration counts in the catalogue's solver counts.

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.challenge_id}"


class Clarification(models.Model):
    """A registered solver's question and the Seeker's public answer."""

    challenge = models.ForeignKey(
        "marketplace.Challenge", on_delete=models.CASCADE, related_name="clarifications"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("question"), max_length=5000)
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True, max_length=10_000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
