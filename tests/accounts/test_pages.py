"""The account pages (django-allauth) render inside the site's own layout."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_email_verification_sent",
    ],
)
def test_account_pages_use_the_site_layout(client, name):
    response = client.get(reverse(name))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in content and reverse("catalogue") in content
    assert '<form class="card prose"' in content or name == "account_email_verification_sent"


def test_login_form_errors_show_in_the_layout(client):
    response = client.post(
        reverse("account_login"), {"login": "nobody@example.com", "password": "wrong"}
    )
    content = response.content.decode()
    assert 'class="site-header"' in content
    assert "errorlist" in content
