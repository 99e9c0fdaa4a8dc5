"""The tax form, on its own page and as a step of the award page:
W-9 and W-8BEN filed, every rule's error shown next to its field, only the last four
characters of a tax number ever shown again, and awards verified once filed."""

import pytest
from django.urls import reverse

from marketplace.awards.models import Award
from marketplace.awards.services.claim import award_deed_sign
from marketplace.awards.services.deeds import award_deed
from payouts.models import TaxForm
from tests.factories import claim_awarded_challenge, claim_w8ben_data, claim_w9_data

pytestmark = pytest.mark.django_db

TAX_URL = reverse("solvers:tax_form")
W9_NUMBERS = ("123-45-6789", "123456789")
W8_NUMBERS = ("DE-98765432",)


def as_user(client, user):
    client.force_login(user)
    return client


def post_data(kind: str, data: dict) -> dict:
    """The form as a browser sends it: an unticked box is left out."""
    sent = {"kind": kind, **data}
    if sent.get("certified") is not True:
        sent.pop("certified", None)
    return sent


def assert_never_shown(response, numbers) -> None:
    content = response.content.decode()
    for number in numbers:
        assert number not in content


class TestHappyPaths:
    def test_choosing_a_form_shows_its_fields(self, client, solver):
        client = as_user(client, solver)
        page = client.get(TAX_URL).content.decode()
        assert "?kind=w9" in page and "?kind=w8ben" in page and 'name="legal_name"' not in page
        page = client.get(TAX_URL + "?kind=w9").content.decode()
        assert 'name="tax_classification"' in page and 'name="citizenship_country"' not in page
        assert 'value="w9"' in page and '<option value="US" selected>' in page
        page = client.get(TAX_URL + "?kind=w8ben").content.decode()
        assert 'name="date_of_birth"' in page and 'name="treaty_rate"' in page
        assert 'name="tax_classification"' not in page

    def test_a_w9_is_filed_and_only_its_last_four_shown(self, client, solver):
        client = as_user(client, solver)
        response = client.post(TAX_URL, post_data("w9", claim_w9_data(solver.full_name)))
        assert response.status_code == 302 and response.url == TAX_URL
        form = TaxForm.objects.get(user=solver)
        assert form.kind == "w9" and form.tin_last4 == "6789" and form.region == "IL"
        assert "6789" not in form.tin_encrypted
        page = client.get(TAX_URL)
        assert "•••• 6789" in page.content.decode()
        assert_never_shown(page, W9_NUMBERS)

    def test_a_w8ben_is_filed_with_a_treaty_claim(self, client, solver):
        client = as_user(client, solver)
        data = claim_w8ben_data(
            solver.full_name, treaty_country="DE", treaty_article="12", treaty_rate="0"
        )
        response = client.post(TAX_URL, post_data("w8ben", data), follow=True)
        form = TaxForm.objects.get(user=solver)
        assert form.kind == "w8ben" and form.citizenship_country == "DE"
        assert str(form.date_of_birth) == "1980-05-17" and form.treaty_article == "12"
        assert "•••• 5432" in response.content.decode()
        assert_never_shown(response, W8_NUMBERS)

    def test_a_replacement_supersedes_the_form_on_file(self, client, solver):
        client = as_user(client, solver)
        client.post(TAX_URL, post_data("w9", claim_w9_data(solver.full_name)), follow=True)
        client.post(TAX_URL, post_data("w8ben", claim_w8ben_data(solver.full_name)), follow=True)
        current = TaxForm.objects.get(user=solver, superseded_at__isnull=True)
        assert current.kind == "w8ben" and TaxForm.objects.filter(user=solver).count() == 2
        page = client.get(TAX_URL).content.decode()
        assert "•••• 5432" in page and "•••• 6789" not in page
        assert "File a replacement form" in page


W9_ERRORS = [
    ({"legal_name": "", "signature_name": ""}, "legal_name", "This field is required."),
    ({"country": "DE"}, "country", "A W-9 needs a US address"),
    ({"region": ""}, "region", "Enter the state."),
    ({"postal_code": "1234"}, "postal_code", "Enter a ZIP code"),
    ({"tax_classification": ""}, "tax_classification", "Choose a federal tax classification."),
    ({"tin": "12-34"}, "tin", "Enter the nine digits of the number"),
    ({"certified": False}, "certified", "Certify that the information on the form is correct."),
    ({"signature_name": "Someone Else"}, "signature_name", "Sign with your legal name"),
]
W8BEN_ERRORS = [
    ({"citizenship_country": ""}, "citizenship_country", "This field is required."),
    ({"citizenship_country": "US"}, "citizenship_country", "US citizens file a W-9"),
    ({"date_of_birth": "17/05/1980"}, "date_of_birth", "Enter your date of birth as YYYY-MM-DD."),
    ({"date_of_birth": "2999-01-01"}, "date_of_birth", "The date of birth must be in the past."),
    ({"date_of_birth": "2020-01-01"}, "date_of_birth", "You must be at least 18 years old."),
    ({"tin": ""}, "tin", "Enter your foreign tax number"),
    ({"tin_kind": "none"}, "tin", "Leave the tax number empty when you have none."),
    ({"treaty_country": "DE"}, "treaty_article", "A treaty claim needs its country"),
    (
        {"treaty_country": "US", "treaty_article": "12", "treaty_rate": "0"},
        "treaty_country",
        "The treaty country is your country of residence.",
    ),
    (
        {"treaty_country": "DE", "treaty_article": "12", "treaty_rate": "12.345"},
        "treaty_rate",
        "Enter a rate between 0 and 100",
    ),
    ({"country": ""}, "country", "This field is required."),
]


class TestErrors:
    @pytest.mark.parametrize(("changes", "field", "message"), W9_ERRORS)
    def test_w9_errors_are_shown_next_to_their_field(self, client, solver, changes, field, message):
        data = claim_w9_data(solver.full_name, **changes)
        response = as_user(client, solver).post(TAX_URL, post_data("w9", data))
        assert response.status_code == 400
        assert message in " ".join(response.context["tax_form"].errors[field])
        assert message in response.content.decode().replace("&#x27;", "'")
        assert_never_shown(response, W9_NUMBERS)
        assert not TaxForm.objects.exists()

    @pytest.mark.parametrize(("changes", "field", "message"), W8BEN_ERRORS)
    def test_w8ben_errors_are_shown_next_to_their_field(
        self, client, solver, changes, field, message
    ):
        data = claim_w8ben_data(solver.full_name, **changes)
        response = as_user(client, solver).post(TAX_URL, post_data("w8ben", data))
        assert response.status_code == 400
        assert message in " ".join(response.context["tax_form"].errors[field])
        assert_never_shown(response, W8_NUMBERS)
        assert not TaxForm.objects.exists()

    def test_an_unknown_form_is_not_found(self, client, solver):
        response = as_user(client, solver).post(TAX_URL, {"kind": "w4"})
        assert response.status_code == 404


class TestOnTheAwardPage:
    def test_filing_the_tax_form_verifies_a_signed_award(self, client, org, owner):
        won = claim_awarded_challenge(org, owner)
        winner = won.winner
        rendered = award_deed(award=won.award, user=winner)
        award_deed_sign(
            award_id=won.award.pk,
            user=winner,
            accepted_sha256=rendered.sha256,
            signature=winner.full_name,
        )
        page_url = reverse("solvers:award_detail", args=[won.award.pk])
        client = as_user(client, winner)
        page = client.get(page_url).content.decode()
        assert '<li id="step-3"><details open>' in page
        action = reverse("solvers:award_tax_form", args=[won.award.pk])
        page = client.get(page_url + "?kind=w9").content.decode()
        assert f'action="{action}"' in page
        bad = post_data("w9", claim_w9_data(winner.full_name, postal_code="x"))
        response = client.post(action, bad)
        assert response.status_code == 400 and "Enter a ZIP code" in response.content.decode()
        assert_never_shown(response, W9_NUMBERS)
        good = post_data("w9", claim_w9_data(winner.full_name))
        response = client.post(action, good)
        assert response.url == page_url + "#step-3"
        assert Award.objects.get(pk=won.award.pk).state == "verified"
        page = client.get(page_url)
        assert "The prize was released from escrow; your payout is on its way." in (
            page.content.decode()
        )
        assert_never_shown(page, W9_NUMBERS)
