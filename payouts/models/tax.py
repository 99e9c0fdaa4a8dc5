"""Tax forms a payee certifies before being paid: an IRS W-9 (US persons) or W-8BEN
(foreign individuals). The tax number is stored encrypted (`payouts.tax_ids`); only its
last four characters are ever shown. Forms are never edited: a newer one supersedes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from payouts.tax_ids import tax_number_masked


class TaxFormKind(models.TextChoices):
    W9 = "w9", _("W-9 (US person)")
    W8BEN = "w8ben", _("W-8BEN (foreign individual)")


class TaxClassification(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual or sole proprietor")
    C_CORP = "c_corp", _("C corporation")
    S_CORP = "s_corp", _("S corporation")
    PARTNERSHIP = "partnership", _("Partnership")
    TRUST_ESTATE = "trust_estate", _("Trust or estate")
    LLC = "llc", _("Limited liability company")
    OTHER = "other", _("Other")


class TinKind(models.TextChoices):
    SSN = "ssn", _("Social security number")
    EIN = "ein", _("Employer identification number")
    ITIN = "itin", _("Individual taxpayer identification number")
    FOREIGN = "foreign", _("Foreign tax number")
    NONE = "none", _("No tax number")


class TaxForm(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tax_forms"
    )
    kind = models.CharField(_("form"), max_length=5, choices=TaxFormKind.choices)
    legal_name = models.CharField(_("legal name"), max_length=200)
    business_name = models.CharField(_("business name"), max_length=200, blank=True)
    tax_classification = models.CharField(
        _("tax classification"), max_length=12, choices=TaxClassification.choices, blank=True
    )
    address_line = models.CharField(_("address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("state or province"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2)
    citizenship_country = models.CharField(_("country of citizenship"), max_length=2, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    tin_kind = models.CharField(_("tax number kind"), max_length=7, choices=TinKind.choices)
    tin_encrypted = models.TextField(_("tax number (encrypted)"), blank=True)
    tin_last4 = models.CharField(_("tax number, last four"), max_length=4, blank=True)
    treaty_country = models.CharField(_("treaty country"), max_length=2, blank=True)
    treaty_article = models.CharField(_("treaty article"), max_length=50, blank=True)
    treaty_rate = models.DecimalField(
        _("treaty withholding rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    certified = models.BooleanField(_("certified under penalties of perjury"))
    signature_name = models.CharField(_("signature"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"))
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at", "-pk"]
        verbose_name = _("tax form")
        verbose_name_plural = _("tax forms")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(superseded_at__isnull=True),
                name="tax_form_one_current",
            ),
            models.CheckConstraint(condition=Q(certified=True), name="tax_form_certified"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.legal_name} {self.tin_masked}".strip()

    @property
    def tin_masked(self) -> str:
        """The tax number as it may be shown: "•••• 1234", or "" without one."""
        return tax_number_masked(self.tin_last4)
