"""The double-entry ledger. Amounts are signed integer minor units: a leg's amount is
positive when it credits its account and negative when it debits it, so the legs of an
entry sum to zero and an account's balance is the sum of its legs. Liabilities
(funding, escrow, payable) and revenue (fees) hold positive balances; a gateway's
clearing account (an asset) holds a negative one.

Guarded below the ORM on SQLite and PostgreSQL alike (`dbguards/tables.py`, migration
0004): entries and legs refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL); an entry's
legs are inserted before it under its reserved id, and the entry row is refused unless
it has two or more legs summing to zero per currency in their accounts' currencies; a
leg for an entry that exists already is refused, so a posted entry never changes. An
account's balance is moved only by the trigger on leg insertion (any other change is
refused), and its code, purpose and currency never change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccountPurpose(models.TextChoices):
    CLEARING = "clearing", _("Gateway clearing")
    FUNDING = "funding", _("Challenge funding")
    ESCROW = "escrow", _("Challenge escrow")
    PAYABLE = "payable", _("Solver payable")
    FEES = "fees", _("Platform fees")


NON_NEGATIVE = (AccountPurpose.ESCROW, AccountPurpose.PAYABLE, AccountPurpose.FUNDING)


class Account(models.Model):
    code = models.CharField(_("code"), max_length=100, unique=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=AccountPurpose.choices)
    currency = models.CharField(_("currency"), max_length=3)
    balance = models.BigIntegerField(_("balance (minor units)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose__in=NON_NEGATIVE) | Q(balance__gte=0),
                name="account_liability_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.currency})"


class Entry(models.Model):
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20)
    memo = models.CharField(_("memo"), max_length=500, blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=100,
        help_text=_("Opaque reference of the business subject, e.g. challenge:12."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        # Declared here rather than on the fields, so PostgreSQL gets no `_like` copies
        # (varchar_pattern_ops, for LIKE 'x%'): every lookup of these is exact.
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="entry_idempotency_key_unique")
        ]
        indexes = [
            models.Index(fields=["kind"], name="entry_kind_idx"),
            models.Index(fields=["reference"], name="entry_reference_idx"),
        ]

    def __str__(self) -> str:
        return self.idempotency_key


class Leg(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="legs")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="legs")
    amount = models.BigIntegerField(_("amount (minor units, + credit / - debit)"))
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        ordering = ["entry_id", "pk"]
        verbose_name = _("leg")
        verbose_name_plural = _("legs")
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="leg_amount_not_zero")]

    def __str__(self) -> str:
        return f"{self.account.code} {self.amount:+d} {self.currency}"
