from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Account,
    Entry,
    GatewayEvent,
    Leg,
    Payment,
    Payout,
    PayoutAccount,
    Refund,
    TaxForm,
)


class ReadOnly(admin.ModelAdmin):
    """Money rows change only through services; the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LegInline(admin.TabularInline):
    model = Leg
    extra = 0
    can_delete = False
    readonly_fields = ["account", "amount", "currency"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnly):
    list_display = ["code", "purpose", "currency", "balance"]
    list_filter = ["purpose", "currency"]
    search_fields = ["code"]


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ["created_at", "idempotency_key", "kind", "reference", "memo"]
    list_filter = ["kind"]
    search_fields = ["idempotency_key", "reference", "memo"]
    inlines = [LegInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
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
    list_display = ["pk", "payment", "amount", "state", "attempts", "provider_id", "created_at"]
    list_filter = ["state"]


@admin.register(GatewayEvent)
class GatewayEventAdmin(ReadOnly):
    list_display = ["received_at", "gateway", "event_id", "type", "outcome", "note"]
    list_filter = ["gateway", "outcome", "type"]
    search_fields = ["event_id"]


@admin.register(Payout)
class PayoutAdmin(ReadOnly):
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
    list_display = ["user", "gateway", "destination", "updated_at"]
    list_filter = ["gateway"]
    search_fields = ["user__email", "destination"]


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
