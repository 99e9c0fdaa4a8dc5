"""The Django admin of the money: every row is shown, none is added, changed or deleted
here. Money moves only through the services, which post balanced entries and keep the
payments, refunds and payouts behind them: staff act from the staff payouts page and the
award pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from payouts.models import (
    Account,
    Entry,
    GatewayEvent,
    Leg,
    Payment,
    Payout,
    PayoutAccount,
    PayoutAccountLink,
    Refund,
    TaxForm,
)

LEDGER_HELP = _(
    "The ledger is append-only: an entry is never edited or deleted, and a correction is "
    "a new entry posted by a service. Balances move only with the legs posted to them."
)
MONEY_HELP = _(
    "Payments, refunds and payouts change only as the payment provider reports them, "
    "through the services; staff retry failed payouts from the staff payouts page."
)


class ReadOnly(admin.ModelAdmin):
    """Money rows change only through services; the admin shows them."""

    how_to_change = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.how_to_change:
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "description": self.how_to_change}), *rest]


class LegInline(admin.TabularInline):
    model = Leg
    extra = 0
    can_delete = False
    readonly_fields = ["account", "amount", "currency"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnly):
    how_to_change = LEDGER_HELP
    list_display = ["code", "purpose", "currency", "balance"]
    list_filter = ["purpose", "currency"]
    search_fields = ["code"]


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    how_to_change = LEDGER_HELP
    list_display = ["created_at", "idempotency_key", "kind", "reference", "memo"]
    list_filter = ["kind"]
    search_fields = ["idempotency_key", "reference", "memo"]
    inlines = [LegInline]


@admin.register(Leg)
class LegAdmin(ReadOnly):
    how_to_change = LEDGER_HELP
    list_display = ["entry", "account", "amount", "currency"]
    list_select_related = ["entry", "account"]
    search_fields = ["entry__idempotency_key", "entry__reference", "account__code"]


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    how_to_change = MONEY_HELP
    list_display = [
        "pk",
        "subject",
        "gateway",
        "amount",
        "currency",
        "state",
        "provider_id",
        "created_at",
    ]
    list_filter = ["state", "gateway"]
    search_fields = ["subject", "provider_id"]


@admin.register(Refund)
class RefundAdmin(ReadOnly):
    how_to_change = MONEY_HELP
    list_display = ["pk", "payment", "amount", "state", "attempts", "provider_id", "created_at"]
    list_filter = ["state"]


@admin.register(GatewayEvent)
class GatewayEventAdmin(ReadOnly):
    list_display = ["received_at", "gateway", "event_id", "type", "outcome", "note"]
    list_filter = ["gateway", "outcome", "type"]
    search_fields = ["event_id"]


@admin.register(Payout)
class PayoutAdmin(ReadOnly):
    how_to_change = MONEY_HELP
    list_display = [
        "pk",
        "reference",
        "payee",
        "amount",
        "currency",
        "gateway",
        "state",
        "attempts",
        "provider_id",
        "created_at",
    ]
    list_filter = ["state", "gateway"]
    search_fields = ["reference", "subject", "provider_id", "payee__email"]


@admin.register(PayoutAccount)
class PayoutAccountAdmin(ReadOnly):
    list_display = ["user", "gateway", "destination", "payouts_enabled", "state_at"]
    list_filter = ["gateway", "payouts_enabled"]
    search_fields = ["user__email", "destination"]


@admin.register(PayoutAccountLink)
class PayoutAccountLinkAdmin(ReadOnly):
    list_display = ["account", "destination", "previous", "actor", "created_at"]
    search_fields = ["account__user__email", "destination", "actor__email"]


@admin.register(TaxForm)
class TaxFormAdmin(ReadOnly):
    """Shows only the last four characters of the tax number, never the number."""

    list_display = ["user", "kind", "legal_name", "country", "tin_kind", "tin", "signed_at"]
    list_filter = ["kind", "superseded_at"]
    search_fields = ["user__email", "legal_name"]
    fields = [
        "user",
        "kind",
        "legal_name",
        "business_name",
        "tax_classification",
        "address_line",
        "city",
        "region",
        "postal_code",
        "country",
        "citizenship_country",
        "date_of_birth",
        "tin_kind",
        "tin",
        "treaty_country",
        "treaty_article",
        "treaty_rate",
        "certified",
        "signature_name",
        "signed_at",
        "superseded_at",
    ]
    readonly_fields = ["tin"]

    @admin.display(description=_("tax number"))
    def tin(self, form: TaxForm) -> str:
        return form.tin_masked
