"""Money out to winners: one `Payout` per payee of a released award, and the Stripe
Connect account (`PayoutAccount`) each payee is paid to. A payout's state changes only
through `payouts.services.payouts`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PayoutState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    REVERSED = "reversed", _("Reversed")
    CANCELLED = "cancelled", _("Cancelled")


class Payout(models.Model):
    """What one payee is owed for one award (`reference`, e.g. "award:7") released from
    a subject's escrow (`subject`, e.g. "challenge:12"), and how paying it went."""

    subject = models.CharField(_("subject"), max_length=100)
    reference = models.CharField(_("reference"), max_length=100)
    payee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts"
    )
    amount = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    gateway = models.CharField(_("gateway"), max_length=20)
    destination = models.CharField(_("destination"), max_length=100, blank=True)
    transfer_group = models.CharField(_("transfer group"), max_length=100)
    key = models.CharField(_("key"), max_length=200, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=PayoutState.choices, default=PayoutState.PENDING
    )
    provider_id = models.CharField(_("provider id"), max_length=100, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    failure_message = models.CharField(_("failure message"), max_length=500, blank=True)
    test_money = models.BooleanField(_("test money"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        indexes = [
            models.Index(fields=["reference"], name="payout_reference_idx"),
            models.Index(fields=["state"], name="payout_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
            models.UniqueConstraint(
                fields=["gateway", "provider_id"],
                condition=~Q(provider_id=""),
                name="payout_provider_id_once",
            ),
        ]

    def __str__(self) -> str:
        return f"payout {self.pk} {self.amount} {self.currency} ({self.state})"


class PayoutAccount(models.Model):
    """Where a user is paid through one gateway: a Stripe Connect account id for
    "stripe"; nothing for "local". For Stripe it also holds what Stripe last said of the
    account (`state_at`: when Stripe said it): whether it can receive payouts and what
    Stripe still needs. `payouts_enabled` is None when nobody asked Stripe yet (an
    account staff linked): its transfers are tried and Stripe refuses them if need be."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payout_accounts"
    )
    gateway = models.CharField(_("gateway"), max_length=20)
    destination = models.CharField(_("destination"), max_length=100, blank=True)
    payouts_enabled = models.BooleanField(_("payouts enabled"), null=True, default=None)
    details_submitted = models.BooleanField(_("details submitted"), default=False)
    currently_due = models.JSONField(_("requirements currently due"), default=list, blank=True)
    past_due = models.JSONField(_("requirements past due"), default=list, blank=True)
    disabled_reason = models.CharField(_("disabled reason"), max_length=100, blank=True)
    state_at = models.DateTimeField(_("state as of"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "gateway"]
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")
        constraints = [
            models.UniqueConstraint(fields=["user", "gateway"], name="payout_account_once")
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.destination or '-'} of user {self.user_id}"

    @property
    def requirements_due(self) -> list[str]:
        """What Stripe needs now: past due first, then currently due, once each."""
        return list(dict.fromkeys([*self.past_due, *self.currently_due]))

    @property
    def waiting(self) -> bool:
        """Stripe said this account cannot receive payouts (yet): its payouts wait."""
        return self.payouts_enabled is False


class PayoutAccountLink(models.Model):
    """The audit of a payout account that staff linked by hand (an account id they were
    given): who, when, and which account it replaced. Append-only."""

    account = models.ForeignKey(PayoutAccount, on_delete=models.PROTECT, related_name="links")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    destination = models.CharField(_("destination"), max_length=100)
    previous = models.CharField(_("previous destination"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payout account link")
        verbose_name_plural = _("payout account links")

    def __str__(self) -> str:
        return f"{self.destination} linked for account {self.account_id} by {self.actor_id}"
