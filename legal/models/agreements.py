"""Agreements people accept. A template version is never edited: a change is a new
version. Each version exists in one or more languages, each its own row with its own
text and SHA-256; a person accepts the text in the language they are reading. An acceptance records exactly which text a person accepted, when and from
where. Database triggers refuse UPDATE and DELETE of both, on SQLite and PostgreSQL
(`dbguards`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementKind(models.TextChoices):
    TERMS = "terms", _("Terms of use")
    CHALLENGE = "challenge", _("Challenge agreement")
    TRANSFER_DEED = "transfer_deed", _("IP transfer deed")
    LICENCE_DEED = "licence_deed", _("Licence deed")


class AgreementTemplate(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    variant = models.CharField(
        _("variant"),
        max_length=20,
        blank=True,
        help_text=_("For challenge agreements: the IP model it is for."),
    )
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        help_text=_("The language of this text. Each language of a version is its own row."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"),
        help_text=_("Markdown with {{ placeholders }} filled in from the subject's terms."),
    )
    sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "variant", "-version", "language"]
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "variant", "version", "language"],
                name="agreement_version_language_once",
            )
        ]

    def __str__(self) -> str:
        variant = f" [{self.variant}]" if self.variant else ""
        return f"{self.get_kind_display()}{variant} v{self.version} ({self.language})"


class Acceptance(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acceptances"
    )
    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.PROTECT, related_name="acceptances"
    )
    template_sha256 = models.CharField(_("template SHA-256"), max_length=64)
    text = models.TextField(_("text accepted"))
    text_sha256 = models.CharField(_("text SHA-256"), max_length=64)
    language = models.CharField(
        _("language"),
        max_length=10,
        help_text=_("The language of the text accepted: its template's."),
    )
    subject = models.CharField(
        _("subject"),
        max_length=100,
        db_index=True,
        help_text=_("What was agreed to, e.g. challenge:12 or site."),
    )
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        constraints = [
            models.UniqueConstraint(fields=["user", "subject", "template"], name="acceptance_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.template} for {self.subject}"
