"""Sign-ups are limited per client address: over the limit the page answers 429 in the
site's layout, saying (and telling in Retry-After) how long to wait."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signup_over_the_limit_is_429_with_retry_after(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip,10/h/ip"}
    url = reverse("account_signup")
    form = {"email": "someone@example.com", "password1": "x", "password2": "y"}
    assert [client.post(url, form).status_code for _ in range(2)] == [200, 200]
    response = client.post(url, form)
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 55 <= seconds <= 60  # the minute's limit, not the hour's
    page = response.content.decode()
    assert "Too many attempts" in page
    assert f"Try again in {seconds} seconds." in page


def test_signup_page_itself_is_not_counted(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    url = reverse("account_signup")
    assert {client.get(url).status_code for _ in range(3)} == {200}
