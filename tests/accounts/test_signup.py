"""Signing up asks for the full legal name and is accepting the terms of use: a required
box linked to the terms page, and the acceptance recorded with the new account."""

import pytest
from django.urls import reverse

from legal.models import Acceptance
from legal.services import template_current, template_publish
from marketplace.accounts.models import User
from marketplace.accounts.signup import site_terms
from marketplace.core.markdown import render_markdown
from tests.conftest import assert_shown_as_receipt_code

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")
TERMS = reverse("terms")
EMAIL = "new.solver@example.com"
NOT_TICKED = "Tick this box to accept the terms of use."


def form_data(**changes) -> dict:
    data = {
        "full_name": "Ada  Lovelace ",
        "email": EMAIL,
        "password1": "a-Long-passphrase-77",
        "password2": "a-Long-passphrase-77",
        "terms": "on",
        "terms_sha256": site_terms().sha256,
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def publish_new_terms():
    template_current(kind="terms")
    return template_publish(kind="terms", title="Terms of use", body="# Terms, second edition\n")


def test_the_form_has_the_box_with_a_link_to_the_terms(client):
    content = client.get(SIGNUP).content.decode()
    assert '<input type="checkbox" name="terms" required id="id_terms">' in content
    assert f'I accept the <a href="{TERMS}" target="_blank">terms of use</a></label>' in content
    assert f'name="terms_sha256" value="{site_terms().sha256}"' in content


@pytest.mark.parametrize("terms", [None, ""])
def test_without_the_box_nobody_signs_up(client, terms):
    response = client.post(SIGNUP, form_data(terms=terms))
    assert response.status_code == 200
    assert response.context["form"].errors["terms"] == [NOT_TICKED]
    assert NOT_TICKED in response.content.decode()
    assert not User.objects.filter(email=EMAIL).exists()
    assert not Acceptance.objects.exists()


def test_the_form_asks_for_the_full_legal_name_first(client):
    response = client.get(SIGNUP)
    assert list(response.context["form"].fields)[:2] == ["full_name", "email"]
    content = response.content.decode()
    assert '<label for="id_full_name">Full legal name:</label>' in content
    assert 'name="full_name" autocomplete="name" maxlength="150" required' in content


@pytest.mark.parametrize(
    ("full_name", "error"),
    [
        (None, "This field is required."),
        ("   ", "This field is required."),
        ("x" * 151, "Ensure this value has at most 150 characters (it has 151)."),
    ],
)
def test_without_a_full_name_nobody_signs_up(client, full_name, error):
    response = client.post(SIGNUP, form_data(full_name=full_name))
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == [error]
    assert not User.objects.filter(email=EMAIL).exists()
    assert not Acceptance.objects.exists()


def test_signing_up_stores_the_full_name_as_on_the_profile(client):
    assert client.post(SIGNUP, form_data()).status_code == 302
    assert User.objects.get(email=EMAIL).full_name == "Ada Lovelace"


def test_signing_up_records_the_acceptance_of_the_terms(client):
    terms = site_terms()
    response = client.post(
        SIGNUP,
        form_data(),
        REMOTE_ADDR="198.51.100.23",
        headers={"user-agent": "Mozilla/5.0 Sign-up"},
    )
    assert response.status_code == 302
    user = User.objects.get(email=EMAIL)
    acceptance = Acceptance.objects.get()
    assert (acceptance.user, acceptance.subject) == (user, "site")
    assert (acceptance.template.kind, acceptance.template) == ("terms", terms.template)
    assert acceptance.template_sha256 == terms.template.sha256
    assert (acceptance.text, acceptance.text_sha256) == (terms.text, terms.sha256)
    assert (acceptance.ip, acceptance.user_agent) == ("198.51.100.23", "Mozilla/5.0 Sign-up")


def test_terms_changed_since_the_form_was_opened_are_refused(client):
    opened = site_terms().sha256
    publish_new_terms()
    response = client.post(SIGNUP, form_data(terms_sha256=opened))
    assert response.status_code == 200
    assert "The terms of use have changed since this page was opened." in (
        " ".join(response.context["form"].errors["terms"])
    )
    assert not User.objects.filter(email=EMAIL).exists() and not Acceptance.objects.exists()
    current = site_terms().sha256
    assert f'name="terms_sha256" value="{current}"' in response.content.decode()
    assert client.post(SIGNUP, form_data(terms_sha256=current)).status_code == 302
    assert Acceptance.objects.get().template.version == 2


def test_terms_page_shows_the_terms_in_force(client):
    content = client.get(TERMS).content.decode()
    terms = site_terms()
    assert render_markdown(terms.text) in content
    assert "version 1" in content
    assert_shown_as_receipt_code(content, terms.sha256)
    publish_new_terms()
    content = client.get(TERMS).content.decode()
    assert "Terms, second edition" in content and "version 2" in content
