"""Tax forms: what a W-9 and a W-8BEN must hold, each refusal on its own field, and a
tax number that is stored encrypted and shown only as its last four digits."""

from datetime import date, timedelta

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from payouts.models import TaxForm
from payouts.services.tax import tax_form_current, tax_form_submit, tax_number_reveal
from payouts.tax_ids import tax_number_decrypt, tax_number_encrypt
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

W9 = {
    "legal_name": "Ada  Lovelace",
    "business_name": "",
    "tax_classification": "individual",
    "address_line": "1 Market St",
    "city": "San Francisco",
    "region": "CA",
    "postal_code": "94105",
    "country": "us",
    "tin_kind": "ssn",
    "tin": "123-45-6789",
    "certified": True,
    "signature_name": "ada lovelace",
}
W8BEN = {
    "legal_name": "Bruno Díaz",
    "address_line": "Calle Mayor 5",
    "city": "Madrid",
    "postal_code": "28013",
    "country": "ES",
    "citizenship_country": "ES",
    "date_of_birth": "1990-04-02",
    "tin_kind": "foreign",
    "tin": "X1234567L",
    "treaty_country": "ES",
    "treaty_article": "12",
    "treaty_rate": "0",
    "certified": True,
    "signature_name": "Bruno Díaz",
}


def years_ago(years: int, days: int = 0) -> str:
    """The date `years` ago (+ `days`); on 29 February, the 28th of that year."""
    today = timezone.localdate()
    day = min(today.day, 28) if today.month == 2 else today.day
    return (today.replace(year=today.year - years, day=day) + timedelta(days=days)).isoformat()


def test_a_w9_is_stored_with_its_number_encrypted(solver):
    form = tax_form_submit(user=solver, kind="w9", data=W9)

    assert (form.kind, form.legal_name, form.country, form.tin_kind) == (
        "w9",
        "Ada Lovelace",
        "US",
        "ssn",
    )
    assert form.certified and form.signed_at and form.superseded_at is None
    assert form.tin_last4 == "6789"
    assert "6789" not in form.tin_encrypted and "123" not in form.tin_encrypted
    assert tax_number_reveal(form) == "123456789"
    assert (form.citizenship_country, form.date_of_birth, form.treaty_rate) == ("", None, None)
    assert tax_form_current(solver) == form


def test_a_w8ben_keeps_its_foreign_number_and_treaty_claim(solver):
    form = tax_form_submit(user=solver, kind="w8ben", data={**W8BEN, "tax_classification": "llc"})

    assert (form.citizenship_country, form.date_of_birth) == ("ES", date(1990, 4, 2))
    assert (form.treaty_country, form.treaty_article, str(form.treaty_rate)) == ("ES", "12", "0")
    assert (form.tin_last4, tax_number_reveal(form)) == ("567L", "X1234567L")
    assert form.tax_classification == ""  # a W-9 field, not kept on a W-8BEN


def test_a_w8ben_may_say_there_is_no_tax_number(solver):
    data = {**W8BEN, "tin_kind": "none", "tin": "", "treaty_country": "", "treaty_article": ""}
    data["treaty_rate"] = None
    form = tax_form_submit(user=solver, kind="w8ben", data=data)

    assert (form.tin_kind, form.tin_encrypted, form.tin_last4) == ("none", "", "")
    assert tax_number_reveal(form) == ""
    assert form.tin_masked == ""


def test_a_newer_form_supersedes_the_earlier_one(solver):
    first = tax_form_submit(user=solver, kind="w9", data=W9)
    second = tax_form_submit(user=solver, kind="w8ben", data=W8BEN)

    first.refresh_from_db()
    assert first.superseded_at is not None
    assert tax_form_current(solver) == second
    assert tax_form_current(UserFactory()) is None
    assert TaxForm.objects.filter(user=solver).count() == 2


W9_ERRORS = [
    ({"legal_name": ""}, "legal_name", "required"),
    ({"address_line": "  "}, "address_line", "required"),
    ({"city": None}, "city", "required"),
    ({"country": "DE"}, "country", "US address"),
    ({"country": "XY"}, "country", "ISO country code"),
    ({"country": 1}, "country", "Enter text"),
    ({"region": ""}, "region", "state"),
    ({"postal_code": "941"}, "postal_code", "ZIP"),
    ({"tax_classification": "charity"}, "tax_classification", "classification"),
    ({"tin_kind": "foreign"}, "tin_kind", "W-9 needs"),
    ({"tin_kind": ""}, "tin_kind", "required"),
    ({"tin": "12345678"}, "tin", "nine digits"),
    ({"tin": "1234567890"}, "tin", "nine digits"),
    ({"tin": "123 45 6789"}, "tin", "nine digits"),
    ({"tin": "12-345-67-8-"}, "tin", "nine digits"),
    ({"certified": False}, "certified", "Certify"),
    ({"certified": "yes"}, "certified", "Certify"),
    ({"signature_name": "A. Lovelace"}, "signature_name", "legal name"),
    ({"signature_name": ""}, "signature_name", "required"),
    ({"business_name": "x" * 201}, "business_name", "at most 200"),
]


@pytest.mark.parametrize(("change", "field", "message"), W9_ERRORS)
def test_w9_refusals_name_their_field(solver, change, field, message):
    with pytest.raises(ValidationError) as raised:
        tax_form_submit(user=solver, kind="w9", data={**W9, **change})

    errors = raised.value.message_dict
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not TaxForm.objects.exists()


W8BEN_ERRORS = [
    ({"citizenship_country": ""}, "citizenship_country", "required"),
    ({"citizenship_country": "US"}, "citizenship_country", "W-9"),
    ({"citizenship_country": "Spain"}, "citizenship_country", "ISO country code"),
    ({"date_of_birth": None}, "date_of_birth", "YYYY-MM-DD"),
    ({"date_of_birth": "02/04/1990"}, "date_of_birth", "YYYY-MM-DD"),
    ({"date_of_birth": "1990-02-30"}, "date_of_birth", "YYYY-MM-DD"),
    ({"date_of_birth": timezone.now()}, "date_of_birth", "YYYY-MM-DD"),
    ({"date_of_birth": "2999-01-01"}, "date_of_birth", "in the past"),
    ({"tin_kind": "ssn"}, "tin_kind", "foreign tax number"),
    ({"tin": ""}, "tin", "foreign tax number"),
    ({"tin": "12#45"}, "tin", "foreign tax number"),
    ({"tin_kind": "none", "tin": "X1"}, "tin", "empty"),
    ({"treaty_rate": "101"}, "treaty_rate", "between 0 and 100"),
    ({"treaty_rate": "5.555"}, "treaty_rate", "two decimals"),
    ({"treaty_rate": "NaN"}, "treaty_rate", "between 0 and 100"),
    ({"treaty_rate": True}, "treaty_rate", "between 0 and 100"),
    ({"treaty_article": ""}, "treaty_article", "treaty claim"),
    ({"treaty_rate": None}, "treaty_rate", "treaty claim"),
    ({"treaty_country": "US"}, "treaty_country", "residence"),
    ({"signature_name": "Bruno Diaz"}, "signature_name", "legal name"),
]


@pytest.mark.parametrize(("change", "field", "message"), W8BEN_ERRORS)
def test_w8ben_refusals_name_their_field(solver, change, field, message):
    with pytest.raises(ValidationError) as raised:
        tax_form_submit(user=solver, kind="w8ben", data={**W8BEN, **change})

    errors = raised.value.message_dict
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not TaxForm.objects.exists()


def test_one_day_short_of_18_may_not_file_a_w8ben(solver):
    # The date is worked out when the test runs, not when it is collected.
    with pytest.raises(ValidationError) as raised:
        tax_form_submit(
            user=solver, kind="w8ben", data={**W8BEN, "date_of_birth": years_ago(18, days=1)}
        )

    assert "at least 18" in raised.value.message_dict["date_of_birth"][0]
    assert not TaxForm.objects.exists()


def test_an_adult_since_today_may_file_a_w8ben(solver):
    form = tax_form_submit(
        user=solver, kind="w8ben", data={**W8BEN, "date_of_birth": years_ago(18)}
    )
    assert form.pk


def test_every_problem_is_reported_at_once(solver):
    with pytest.raises(ValidationError) as raised:
        tax_form_submit(user=solver, kind="w9", data={})
    assert set(raised.value.message_dict) == {
        "legal_name",
        "address_line",
        "city",
        "country",
        "tin_kind",
        "signature_name",
        "certified",
        "region",
        "postal_code",
        "tax_classification",
        "tin",
    }


def test_an_unknown_kind_of_form_is_refused(solver):
    with pytest.raises(ValidationError) as raised:
        tax_form_submit(user=solver, kind="1099", data=W9)
    assert list(raised.value.message_dict) == ["kind"]


# --- the number at rest and on screen ----------------------------------------------------


def test_encryption_round_trip_with_the_configured_key(settings):
    settings.TAX_ID_KEY = Fernet.generate_key().decode()
    token = tax_number_encrypt("123456789")

    assert "123456789" not in token
    assert tax_number_decrypt(token) == "123456789"
    settings.TAX_ID_KEY = Fernet.generate_key().decode()
    with pytest.raises(InvalidToken):
        tax_number_decrypt(token)


def test_without_a_key_one_is_derived_from_the_secret_key(settings):
    settings.TAX_ID_KEY = ""
    token = tax_number_encrypt("987654321")
    assert tax_number_decrypt(token) == "987654321"

    settings.SECRET_KEY = "another-secret-key-of-enough-length-0123456789"
    with pytest.raises(InvalidToken):
        tax_number_decrypt(token)


def test_the_form_shows_only_the_last_four_digits(solver):
    form = tax_form_submit(user=solver, kind="w9", data=W9)

    assert form.tin_masked == "•••• 6789"
    assert str(form) == "W-9 (US person) Ada Lovelace •••• 6789"
    assert "12345" not in str(form) and "123-45" not in str(form)


def test_the_admin_shows_only_the_last_four_digits(client, solver):
    form = tax_form_submit(user=solver, kind="w9", data=W9)
    client.force_login(StaffFactory(is_superuser=True))

    pages = [
        client.get(reverse("admin:payouts_taxform_changelist")),
        client.get(reverse("admin:payouts_taxform_change", args=[form.pk])),
    ]

    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert "•••• 6789" in html
        assert "123456789" not in html and "123-45-6789" not in html
        assert form.tin_encrypted not in html
