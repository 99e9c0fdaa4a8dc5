"""Money in (payments) and back out to the payer (refunds), as the gateway reports
them. Their state changes only through `payouts.services.payments`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Payment(models.Model):
    subject = models.CharField(_("subject"), max_length=100, db_index=True)
    gateway = models.CharField(_("gateway"), max_length=20)
    amount = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    state = models.CharField(
        max_length=10, choices=PaymentState.choices, default=PaymentState.PENDING
    )
    idempotency_key = models.CharField(max_length=200, unique=True)
    provider_id = models.CharField(_("provider id"), max_length=100, blank=True, db_index=True)
    client_secret = models.CharField(max_length=200, blank=True)
    failure_message = models.CharField(max_length=500, blank=True)
    test_money = models.BooleanField(_("test money"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.UniqueConstraint(
                fields=["gateway", "provider_id"],
                condition=~Q(provider_id=""),
                name="payment_provider_id_once",
            ),
        ]

    def __str__(self) -> str:
        return f"payment {self.pk} {self.amount} {self.currency} ({self.state})"


class RefundState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Refund(models.Model):
    """Money returned to the payer of one payment. `from_funding` and `from_escrow` say
    which of the subject's accounts it is taken from; they add up to `amount`."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.BigIntegerField(_("amount (minor units)"))
    from_funding = models.BigIntegerField(default=0)
    from_escrow = models.BigIntegerField(default=0)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    state = models.CharField(
        max_length=10, choices=RefundState.choices, default=RefundState.PENDING
    )
    provider_id = models.CharField(_("provider id"), max_length=100, blank=True, db_index=True)
    failure_message = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(from_funding__gte=0, from_escrow__gte=0)
                & Q(amount=models.F("from_funding") + models.F("from_escrow")),
                name="refund_sources_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"refund {self.pk} of payment {self.payment_id} ({self.state})"
