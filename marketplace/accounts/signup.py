"""Sign-up asks for the full legal name (certificates print it, deeds name the winner by
it) and accepts the terms of use: a required box, and the hash of the terms in force
when the form was shown. The name and the acceptance (exact text, hash, IP address,
browser) are recorded with the new account, in the same transaction."""

from allauth.account.forms import SignupForm
from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from legal.models import AgreementKind
from legal.services import RenderedAgreement, acceptance_record, agreement_render, template_current
from marketplace.accounts.services import user_set_full_name
from marketplace.core.clients import client_ip

SITE_SUBJECT = "site"


def site_terms(language: str | None = None) -> RenderedAgreement:
    """The terms of use in force (they have no placeholders to fill), in the language
    being read (default: the active one; English when they have no text in it)."""
    return agreement_render(template_current(kind=AgreementKind.TERMS, language=language), {})


class TermsSignupForm(SignupForm):
    full_name = forms.CharField(
        label=gettext_lazy("Full legal name"),
        max_length=150,
        help_text=gettext_lazy(
            "Private. Printed on your certificates; you type it to sign an IP deed."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["full_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = site_terms()
        self.fields["terms"] = forms.BooleanField(
            required=True,
            label_suffix="",
            label=format_html(
                _('I accept the <a href="{url}" target="_blank">terms of use</a>'),
                url=reverse("terms"),
            ),
            error_messages={"required": _("Tick this box to accept the terms of use.")},
        )
        self.fields["terms_sha256"] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=self.terms.sha256
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("terms") and cleaned.get("terms_sha256") != self.terms.sha256:
            self.add_error(
                "terms",
                _(
                    "The terms of use have changed since this page was opened. "
                    "Read them again and tick the box."
                ),
            )
            self.data = self.data.copy()  # show the current hash when the form comes back
            self.data[self.add_prefix("terms_sha256")] = self.terms.sha256
        return cleaned

    def save(self, request):
        with transaction.atomic():
            user = super().save(request)
            user_set_full_name(user=user, full_name=self.cleaned_data["full_name"])
            acceptance_record(
                user=user,
                rendered=self.terms,
                accepted_sha256=self.cleaned_data["terms_sha256"],
                subject=SITE_SUBJECT,
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        return user
