"""What a payee must have on file before being paid: a current tax form (W-9 for US
persons, W-8BEN for foreign individuals) and, for Stripe, a Connect account to pay
into. Invalid input raises ValidationError({field: [message, ...]})."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from babel import Locale
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from payouts.gateways import get_gateway
from payouts.models import PayoutAccount, TaxClassification, TaxForm, TaxFormKind, TinKind
from payouts.tax_ids import (
    foreign_tin_clean,
    tax_number_decrypt,
    tax_number_encrypt,
    tax_number_last4,
    us_tin_digits,
)

# ISO 3166-1 alpha-2 codes from Babel's CLDR data, less CLDR's own and reserved ones;
# XK (Kosovo) stays, as banks and Stripe use it.
NOT_ISO = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
COUNTRIES = (
    frozenset(code for code in Locale("en").territories if re.fullmatch("[A-Z]{2}", code)) - NOT_ISO
)
ZIP_CODE = re.compile(r"\d{5}(-\d{4})?")
STRIPE_ACCOUNT = re.compile(r"acct_[A-Za-z0-9]{1,95}")
ADULT_AGE = 18

TEXT_FIELDS = {
    "legal_name": 200,
    "business_name": 200,
    "tax_classification": 12,
    "address_line": 200,
    "city": 100,
    "region": 100,
    "postal_code": 20,
    "country": 2,
    "citizenship_country": 2,
    "tin_kind": 7,
    "tin": 30,
    "treaty_country": 2,
    "treaty_article": 50,
    "signature_name": 200,
}
REQUIRED = ("legal_name", "address_line", "city", "country", "tin_kind", "signature_name")
COUNTRY_FIELDS = ("country", "citizenship_country", "treaty_country")
W9_ONLY = ("business_name", "tax_classification")
W8BEN_ONLY = ("citizenship_country", "treaty_country", "treaty_article")


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def _texts(data: dict, errors: _Errors, *, ignored: tuple[str, ...]) -> dict[str, str]:
    """Every text field, whitespace collapsed; the `ignored` ones (the other form's) empty."""
    texts = {}
    for name, limit in TEXT_FIELDS.items():
        value = "" if name in ignored else data.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors.add(name, _("Enter text."))
            value = ""
        value = " ".join(value.split())
        if len(value) > limit and name not in COUNTRY_FIELDS:  # those get the ISO message
            errors.add(name, _("Use at most %(limit)d characters.") % {"limit": limit})
        texts[name] = value
    for name in COUNTRY_FIELDS:
        texts[name] = texts[name].upper()
        if texts[name] and texts[name] not in COUNTRIES:
            errors.add(name, _("Enter a two-letter ISO country code, such as US or DE."))
    for name in REQUIRED:
        if not texts[name]:
            errors.add(name, _("This field is required."))
    return texts


def _w9(texts: dict, errors: _Errors) -> str:
    """Check what a W-9 needs; return the tax number's digits."""
    if texts["country"] and texts["country"] != "US":
        errors.add("country", _("A W-9 needs a US address; foreign individuals file a W-8BEN."))
    if not texts["region"]:
        errors.add("region", _("Enter the state."))
    if not ZIP_CODE.fullmatch(texts["postal_code"]):
        errors.add("postal_code", _("Enter a ZIP code, such as 94105 or 94105-1234."))
    if texts["tax_classification"] not in TaxClassification.values:
        errors.add("tax_classification", _("Choose a federal tax classification."))
    if texts["tin_kind"] and texts["tin_kind"] not in (TinKind.SSN, TinKind.EIN, TinKind.ITIN):
        errors.add("tin_kind", _("A W-9 needs a social security, employer or ITIN number."))
    digits = us_tin_digits(texts["tin"])
    if digits is None:
        errors.add("tin", _("Enter the nine digits of the number; dashes are allowed."))
    return digits or ""


def _birth_date(value, errors: _Errors) -> date | None:
    if isinstance(value, str):
        try:
            value = parse_date(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, date) or hasattr(value, "hour"):
        errors.add("date_of_birth", _("Enter your date of birth as YYYY-MM-DD."))
        return None
    today = timezone.localdate()
    if value >= today:
        errors.add("date_of_birth", _("The date of birth must be in the past."))
        return None
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < ADULT_AGE:
        errors.add(
            "date_of_birth", _("You must be at least %(age)d years old.") % {"age": ADULT_AGE}
        )
    return value


def _treaty_rate(value, errors: _Errors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        rate = Decimal(str(value).strip()) if not isinstance(value, bool) else None
    except InvalidOperation:
        rate = None
    if (
        rate is None
        or not rate.is_finite()
        or not 0 <= rate <= 100
        or -rate.as_tuple().exponent > 2
    ):
        errors.add("treaty_rate", _("Enter a rate between 0 and 100 with at most two decimals."))
        return None
    return rate


def _w8ben(texts: dict, data: dict, errors: _Errors) -> tuple[str, dict]:
    """Check what a W-8BEN needs; return the tax number and the W-8BEN-only values."""
    citizenship = texts["citizenship_country"]
    if not citizenship:
        errors.add("citizenship_country", _("This field is required."))
    elif citizenship == "US":
        errors.add("citizenship_country", _("US citizens file a W-9, not a W-8BEN."))
    born = _birth_date(data.get("date_of_birth"), errors)
    number = ""
    if texts["tin_kind"] == TinKind.FOREIGN:
        number = foreign_tin_clean(texts["tin"]) or ""
        if not number:
            errors.add("tin", _("Enter your foreign tax number (letters, digits, dashes)."))
    elif texts["tin_kind"] == TinKind.NONE:
        if texts["tin"]:
            errors.add("tin", _("Leave the tax number empty when you have none."))
    elif texts["tin_kind"]:
        errors.add("tin_kind", _("Give a foreign tax number or say that you have none."))
    rate = _treaty_rate(data.get("treaty_rate"), errors)
    treaty = {"treaty_country": texts["treaty_country"], "treaty_article": texts["treaty_article"]}
    if any(treaty.values()) or rate is not None:
        for name, value in (*treaty.items(), ("treaty_rate", rate)):
            if value in ("", None) and name not in errors:
                errors.add(name, _("A treaty claim needs its country, article and rate."))
        if treaty["treaty_country"] == "US":
            errors.add("treaty_country", _("The treaty country is your country of residence."))
    return number, {"date_of_birth": born, "treaty_rate": rate}


def tax_form_submit(*, user, kind: str, data: dict) -> TaxForm:
    """Validate and store a signed W-9 or W-8BEN; it supersedes the user's earlier forms.
    The tax number is stored encrypted; only its last four characters stay readable."""
    if kind not in TaxFormKind.values:
        raise ValidationError({"kind": [_("Choose a W-9 or a W-8BEN.")]})
    errors = _Errors()
    texts = _texts(data, errors, ignored=W8BEN_ONLY if kind == TaxFormKind.W9 else W9_ONLY)
    if data.get("certified") is not True:
        errors.add("certified", _("Certify that the information on the form is correct."))
    signed, name = texts["signature_name"], texts["legal_name"]  # whitespace collapsed
    if signed and name and signed.casefold() != name.casefold():
        errors.add("signature_name", _("Sign with your legal name exactly as entered above."))
    if kind == TaxFormKind.W9:
        number, extra = _w9(texts, errors), {"date_of_birth": None, "treaty_rate": None}
    else:
        number, extra = _w8ben(texts, data, errors)
    if errors:
        raise ValidationError(dict(errors))
    del texts["tin"]
    with transaction.atomic():
        list(get_user_model().objects.select_for_update().filter(pk=user.pk))
        now = timezone.now()
        TaxForm.objects.filter(user=user, superseded_at__isnull=True).update(superseded_at=now)
        return TaxForm.objects.create(
            user=user,
            kind=kind,
            **texts,
            **extra,
            tin_encrypted=tax_number_encrypt(number) if number else "",
            tin_last4=tax_number_last4(number),
            certified=True,
            signed_at=now,
        )


def tax_form_current(user) -> TaxForm | None:
    return TaxForm.objects.filter(user=user, superseded_at__isnull=True).first()


def tax_number_reveal(form: TaxForm) -> str:
    """The full tax number, decrypted: for staff's tax reporting only, never a page."""
    return tax_number_decrypt(form.tin_encrypted) if form.tin_encrypted else ""


def payout_account_set(*, user, gateway: str | None, destination: str) -> PayoutAccount:
    """Record where `user` is paid through `gateway` (default: the configured one). Stripe
    needs a Connect account id ("acct_..."); the local gateway needs none and refuses one."""
    name = get_gateway(gateway).name
    destination = (destination or "").strip()
    if name == "local" and destination:
        raise ValidationError(
            {"destination": [_("Test payouts need no account; leave this empty.")]}
        )
    if name == "stripe" and not STRIPE_ACCOUNT.fullmatch(destination):
        raise ValidationError(
            {"destination": [_("Enter a Stripe account id: acct_ followed by letters and digits.")]}
        )
    with transaction.atomic():
        account, created = PayoutAccount.objects.select_for_update().get_or_create(
            user=user, gateway=name, defaults={"destination": destination}
        )
        if not created and account.destination != destination:
            # Another account: nothing is known of it until Stripe says.
            account.destination = destination
            account.payouts_enabled = None
            account.details_submitted = False
            account.currently_due = account.past_due = []
            account.disabled_reason = ""
            account.state_at = None
            account.save()
    return account


def payout_destination(user, gateway: str) -> str:
    """Where `user` (a user or its id) is paid through `gateway`; "" if nowhere yet."""
    found = PayoutAccount.objects.filter(user=user, gateway=gateway)
    return found.values_list("destination", flat=True).first() or ""


def payout_ready(user, gateway: str | None = None) -> bool:
    """Can `user` be paid through `gateway`? Always through the local gateway; through
    Stripe once a Connect account is on file."""
    name = get_gateway(gateway).name
    return name == "local" or bool(payout_destination(user, name))
