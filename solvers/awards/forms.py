"""Forms of the winner's pages. They only parse what people type; the rules (the typed
name, the deed's hash, every tax-form rule) are the services', whose errors the views
put back next to the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from payouts.models import TaxClassification, TaxFormKind, TinKind
from solvers.models import country_choices


class DeedSignForm(forms.Form):
    signature = forms.CharField(
        label=_("Type your full name to sign"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you declining? (optional)"),
        required=False,
        max_length=500,
        widget=forms.TextInput,
    )


class SecretInput(forms.TextInput):
    """A text box that never sends its value back to the browser: a tax number typed
    into a form that comes back with errors is typed again, never shown."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class CountryField(forms.ChoiceField):
    def __init__(self, *, blank_label=None, **kwargs):
        super().__init__(required=False, **kwargs)
        self.blank_label = blank_label or _("Choose a country")

    def refresh_choices(self) -> None:
        """Country names in the language of the request being answered."""
        self.choices = [("", self.blank_label), *country_choices()]


def _text(
    label, *, max_length: int, help_text: str = "", autocomplete: str = ""
) -> forms.CharField:
    attrs = {"autocomplete": autocomplete} if autocomplete else {}
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


ADDRESS_AND_TIN = ("address_line", "city", "region", "postal_code", "country", "tin_kind", "tin")
SIGNING = ("certified", "signature_name")


class TaxFormBase(forms.Form):
    """What both forms ask. `kind` names the form; each subclass adds its own fields."""

    kind: str

    legal_name = forms.CharField(
        label=_("Legal name"),
        required=False,
        max_length=200,
        help_text=_("As shown on your income tax return."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )
    address_line = _text(_("Address"), max_length=200, autocomplete="street-address")
    city = _text(_("City"), max_length=100, autocomplete="address-level2")
    region = _text(_("State or province"), max_length=100, autocomplete="address-level1")
    postal_code = _text(_("Postal code"), max_length=20, autocomplete="postal-code")
    country = CountryField(label=_("Country of residence"))
    tin_kind = forms.ChoiceField(label=_("Tax number kind"), required=False)
    tin = forms.CharField(
        label=_("Tax number"),
        required=False,
        max_length=30,
        widget=SecretInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Stored encrypted. Only its last four characters are ever shown again; if this "
            "form comes back with an error, type it again."
        ),
    )
    certified = forms.BooleanField(
        label=_(
            "Under penalties of perjury, I certify that the information on this form is "
            "true, correct and complete."
        ),
        required=False,
    )
    signature_name = _text(_("Signature: type your legal name"), max_length=200, autocomplete="off")

    TIN_KINDS: tuple = ()
    ORDER: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.ORDER)
        for field in self.fields.values():
            if isinstance(field, CountryField):
                field.refresh_choices()
        self.fields["tin_kind"].choices = [(k, TinKind(k).label) for k in self.TIN_KINDS]


class W9Form(TaxFormBase):
    kind = TaxFormKind.W9
    TIN_KINDS = (TinKind.SSN, TinKind.EIN, TinKind.ITIN)
    ORDER = ("legal_name", "business_name", "tax_classification", *ADDRESS_AND_TIN, *SIGNING)

    business_name = _text(
        _("Business name (optional)"), max_length=200, autocomplete="organization"
    )
    tax_classification = forms.ChoiceField(
        label=_("Federal tax classification"),
        required=False,
        choices=[("", _("Choose one")), *TaxClassification.choices],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("country", "US")
        super().__init__(*args, **kwargs)


class W8BenForm(TaxFormBase):
    kind = TaxFormKind.W8BEN
    TIN_KINDS = (TinKind.FOREIGN, TinKind.NONE)
    ORDER = (
        "legal_name",
        "citizenship_country",
        "date_of_birth",
        *ADDRESS_AND_TIN,
        "treaty_country",
        "treaty_article",
        "treaty_rate",
        *SIGNING,
    )

    citizenship_country = CountryField(label=_("Country of citizenship"))
    date_of_birth = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=10,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text=_("YYYY-MM-DD."),
    )
    treaty_country = CountryField(
        label=_("Tax treaty: country of residence (optional)"), blank_label=_("No treaty claim")
    )
    treaty_article = _text(_("Tax treaty: article (optional)"), max_length=50)
    treaty_rate = forms.CharField(
        label=_("Tax treaty: withholding rate in % (optional)"),
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


TAX_FORMS = {form.kind: form for form in (W9Form, W8BenForm)}
