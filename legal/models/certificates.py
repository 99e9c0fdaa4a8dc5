"""A recognition certificate: what it recognises, in the language the recipient acted in
(not their stored preference), with a public id (uuid) for its verification page and a
human-readable number. The PDF is generated after issue; a certificate can be revoked,
never deleted."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Certificate(models.Model):
    uuid = models.UUIDField(_("public id"), unique=True, default=uuid.uuid4, editable=False)
    number = models.CharField(
        _("number"), max_length=30, blank=True, editable=False, help_text=_("E.g. MC-2026-000042.")
    )
    reference = models.CharField(
        _("reference"),
        max_length=100,
        db_index=True,
        help_text=_("What the certificate recognises, e.g. award:7."),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    recipient_name = models.CharField(_("recipient name"), max_length=200)
    team_name = models.CharField(_("team name"), max_length=200, blank=True)
    challenge_title = models.CharField(_("challenge title"), max_length=200)
    organization_name = models.CharField(
        _("organisation name"),
        max_length=200,
        blank=True,
        help_text=_("Blank when the Seeker is anonymous."),
    )
    amount = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    awarded_on = models.DateField(_("awarded on"))
    language = models.CharField(_("language"), max_length=10)
    pdf = models.FileField(_("PDF"), max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    generated_at = models.DateTimeField(_("PDF generated at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["reference", "recipient"], name="certificate_once"),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="certificate_number_once"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="certificate_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.number or str(self.uuid)
