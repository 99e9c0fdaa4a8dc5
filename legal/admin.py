from django.contrib import admin

from .documents import certificate_revoke
from .models import Acceptance, AgreementTemplate, Certificate, Deed
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


@admin.register(Deed)
class DeedAdmin(admin.ModelAdmin):
    """Signed deeds are evidence: shown, never added, changed or deleted here."""

    list_display = ["signed_at", "reference", "signer", "template", "pdf_sha256"]
    list_filter = ["template__kind"]
    search_fields = ["reference", "signer__email", "signature", "text_sha256", "pdf_sha256"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Certificates are issued by the awards workflow; here staff can only revoke one,
    by giving a reason."""

    list_display = ["number", "recipient_name", "challenge_title", "awarded_on", "revoked_at"]
    list_filter = ["language", "currency"]
    search_fields = ["number", "uuid", "reference", "recipient__email", "recipient_name"]

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in Certificate._meta.fields]
        if obj is not None and obj.revoked_at is None:
            fields.remove("revoked_reason")
        return fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change and obj.revoked_reason.strip():
            certificate_revoke(certificate_id=obj.pk, reason=obj.revoked_reason)
