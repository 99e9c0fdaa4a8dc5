from django.contrib import admin

from .models import Acceptance, AgreementTemplate
from .services import template_publish


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    """Saving always publishes a new version; an existing version is never edited."""

    list_display = ["kind", "variant", "version", "title", "sha256", "created_at"]
    list_filter = ["kind", "variant"]
    fields = ["kind", "variant", "title", "body"]

    def get_readonly_fields(self, request, obj=None):
        return ["kind", "variant", "version", "title", "body", "sha256"] if obj else []

    def get_fields(self, request, obj=None):
        return ["kind", "variant", "version", "title", "body", "sha256"] if obj else self.fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        published = template_publish(
            kind=obj.kind, variant=obj.variant, title=obj.title, body=obj.body
        )
        obj.pk, obj.version, obj.sha256 = published.pk, published.version, published.sha256


@admin.register(Acceptance)
class AcceptanceAdmin(admin.ModelAdmin):
    list_display = ["accepted_at", "user", "template", "subject", "ip", "text_sha256"]
    list_filter = ["template__kind"]
    search_fields = ["user__email", "subject", "text_sha256"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
