"""Billing documents for a challenge's money: a pro-forma invoice asking for what is due,
a receipt for each payment received and a credit note for each refund. Numbered in one
gap-free sequence per calendar year ("2026-000001") and never changed once issued: every
figure a document shows is kept in `details` when it is issued."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PROFORMA = "proforma", _("Pro-forma invoice")
    RECEIPT = "receipt", _("Receipt")
    CREDIT_NOTE = "credit_note", _("Credit note")


class DocumentCounter(models.Model):
    """The last number issued in a year; its row is locked while a number is taken."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class BillingDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    # No database constraint: checking one would take a lock on the challenge row while
    # the year's counter is held, and a pro-forma takes those two the other way round.
    challenge = models.ForeignKey(
        "marketplace.Challenge",
        on_delete=models.PROTECT,
        related_name="billing_documents",
        verbose_name=_("challenge"),
        db_constraint=False,
    )
    payment = models.ForeignKey(
        "payouts.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refund = models.ForeignKey(
        "payouts.Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    details = models.JSONField(_("details"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["year", "sequence"]
        verbose_name = _("billing document")
        verbose_name_plural = _("billing documents")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="billing_number_once"),
            models.UniqueConstraint(
                fields=["payment"],
                condition=Q(kind="receipt"),
                name="billing_one_receipt_per_payment",
            ),
            models.UniqueConstraint(
                fields=["refund"],
                condition=Q(kind="credit_note"),
                name="billing_one_credit_note_per_refund",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="proforma", payment__isnull=True, refund__isnull=True)
                | Q(kind="receipt", payment__isnull=False, refund__isnull=True)
                | Q(kind="credit_note", payment__isnull=True, refund__isnull=False),
                name="billing_document_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def number(self) -> str:
        return f"{self.year}-{self.sequence:06d}"
