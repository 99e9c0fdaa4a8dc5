"""The Django admin of the documents. Acceptances, signed deeds and their void marks are
evidence: shown, never added, changed or deleted here. A certificate's issued facts never
change; staff can revoke it, through the same service as everywhere else."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from legal.documents import certificate_revoke
from legal.models import Acceptance, AgreementTemplate, Certificate, Deed, DeedVoid
from legal.services import template_publish

REVOKE_HELP = _(
    "What a certificate recognises never changes. To revoke it, give the reason and "
    "save: its public verification page then says it was revoked. A revocation is final."
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evidence: shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AgreementTemplateForm(forms.ModelForm):
    """Publishing: without a version, a new version; with one, that version's text in
    another language (a translation)."""

    version = forms.IntegerField(
        label=_("version"),
        required=False,
        min_value=1,
        help_text=_(
            "Leave empty to publish a new version. To add a translation of an existing "
            "version, give its number and the translation's language."
        ),
    )

    class Meta:
        model = AgreementTemplate
        fields = ["kind", "variant", "language", "version", "title", "body"]

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "version"}

    def validate_unique(self):
        """The service numbers versions; a translation is checked in `clean`."""

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version")
        if version is not None:
            texts = AgreementTemplate.objects.filter(
                kind=cleaned.get("kind"), variant=cleaned.get("variant") or "", version=version
            )
            if not texts.exists():
                self.add_error("version", _("There is no such version to translate."))
            elif texts.filter(language=cleaned.get("language")).exists():
                self.add_error("language", _("This version already has a text in this language."))
        return cleaned


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    """Saving always publishes a new version (or a translation of an existing one); an
    existing text is never edited."""

    form = AgreementTemplateForm
    list_display = ["kind", "variant", "version", "language", "title", "sha256", "created_at"]
    list_filter = ["kind", "variant", "language"]
    fields = ["kind", "variant", "language", "version", "title", "body"]
    DETAIL = ["kind", "variant", "version", "language", "title", "body", "sha256"]

    def get_readonly_fields(self, request, obj=None):
        return self.DETAIL if obj else []

    def get_fields(self, request, obj=None):
        return self.DETAIL if obj else self.fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        published = template_publish(
            kind=obj.kind,
            variant=obj.variant,
            title=obj.title,
            body=obj.body,
            language=obj.language,
            version=form.cleaned_data.get("version"),
        )
        obj.pk, obj.version, obj.sha256 = published.pk, published.version, published.sha256


@admin.register(Acceptance)
class AcceptanceAdmin(ReadOnlyAdmin):
    list_display = [
        "accepted_at",
        "user",
        "template",
        "language",
        "subject",
        "ip",
        "text_sha256",
    ]
    list_filter = ["template__kind", "language"]
    search_fields = ["user__email", "subject", "text_sha256"]


@admin.register(Deed)
class DeedAdmin(ReadOnlyAdmin):
    # The signed PDF is private storage with no URL (staff download it from the staff
    # deeds page); its SHA-256 is shown.
    exclude = ["pdf"]
    list_display = ["signed_at", "reference", "signer", "template", "language", "pdf_sha256"]
    list_filter = ["template__kind", "language"]
    search_fields = ["reference", "signer__email", "signature", "text_sha256", "pdf_sha256"]


@admin.register(DeedVoid)
class DeedVoidAdmin(ReadOnlyAdmin):
    """A deed that no longer binds because its award was withdrawn before payment."""

    list_display = ["deed", "voided_at", "reason"]
    list_select_related = ["deed"]
    search_fields = ["deed__reference", "deed__signer__email", "reason"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Certificates are issued by the awards workflow; here staff can only revoke one,
    by giving a reason."""

    list_display = [
        "number",
        "recipient_name",
        "challenge_title",
        "awarded_on",
        "language",
        "revoked_at",
    ]
    list_filter = ["language", "currency"]
    search_fields = ["number", "uuid", "reference", "recipient__email", "recipient_name"]

    exclude = ["pdf"]  # private storage with no URL; its SHA-256 is shown

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in Certificate._meta.fields if f.name not in self.exclude]
        if obj is not None and obj.revoked_at is None:
            fields.remove("revoked_reason")
        return fields

    def get_fieldsets(self, request, obj=None):
        (name, options), *rest = super().get_fieldsets(request, obj)
        return [(name, {**options, "description": REVOKE_HELP}), *rest]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change and obj.revoked_reason.strip():
            certificate_revoke(certificate_id=obj.pk, reason=obj.revoked_reason)
