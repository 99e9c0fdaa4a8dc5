from django.contrib import admin

from .models import Account, Entry, GatewayEvent, Leg, Payment, Refund


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
