"""A signed IP deed: the exact text the signer accepted, the name they typed, when and
from where, and the signed PDF with its SHA-256. Database triggers refuse UPDATE and
DELETE, on SQLite and PostgreSQL (`dbguards`): the row is written once, with its PDF
already stored; a withdrawn award's deed gets a `DeedVoid` mark instead."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from legal.models.agreements import AgreementTemplate


class Deed(models.Model):
    reference = models.CharField(
        _("reference"),
        max_length=100,
        db_index=True,
        help_text=_("What the deed is for, e.g. award:7."),
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deeds"
    )
    template = models.ForeignKey(AgreementTemplate, on_delete=models.PROTECT, related_name="deeds")
    text = models.TextField(_("text signed"))
    text_sha256 = models.CharField(_("text SHA-256"), max_length=64)
    signature = models.CharField(
        _("signature"), max_length=150, help_text=_("The full name the signer typed.")
    )
    signed_at = models.DateTimeField(_("signed at"), db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    pdf = models.FileField(_("signed PDF"), max_length=255)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64)
    language = models.CharField(_("language"), max_length=10)

    class Meta:
        ordering = ["-signed_at", "-pk"]
        verbose_name = _("deed")
        verbose_name_plural = _("deeds")
        constraints = [models.UniqueConstraint(fields=["reference", "signer"], name="deed_once")]

    def __str__(self) -> str:
        return f"{self.template} signed by {self.signer} for {self.reference}"


class DeedVoid(models.Model):
    """A signed deed that no longer binds: its award was withdrawn before it was paid (by
    the claim deadline before signing, or by staff after a dispute), so the IP stays
    with the signer. Written once, never edited; the deed itself is never changed."""

    deed = models.OneToOneField(
        Deed, on_delete=models.PROTECT, primary_key=True, related_name="void"
    )
    reason = models.CharField(_("reason"), max_length=500)
    voided_at = models.DateTimeField(_("voided at"))

    class Meta:
        verbose_name = _("void deed")
        verbose_name_plural = _("void deeds")

    def __str__(self) -> str:
        return f"deed {self.deed_id} void"
