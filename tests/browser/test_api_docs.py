"""The API docs pages work with no network but this site's: Swagger UI and Redoc come
from the installed package, under the site's Content-Security-Policy."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def offline(page, live_server) -> list[str]:
    """Abort every request to another host; returns the URLs that were refused."""
    refused: list[str] = []

    def route(r):
        if r.request.url.startswith(live_server.url + "/"):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return refused


def test_swagger_ui_shows_operations_offline(page, live_server):
    refused = offline(page, live_server)
    page.goto(live_server.url + reverse("api-docs"))
    operation = page.locator(".opblock", has_text="/api/v1/challenges/").first
    expect(operation).to_be_visible()
    assert refused == []


def test_redoc_renders_offline(page, live_server):
    refused = offline(page, live_server)
    page.goto(live_server.url + reverse("api-redoc"))
    expect(page.get_by_role("heading", name="Challenge Marketplace API")).to_be_visible()
    expect(page.get_by_text("/api/v1/challenges/").first).to_be_attached()
    # Only Redocly's logo in the menu is asked of another host; the menu hides it.
    assert set(refused) <= {"https://cdn.redoc.ly/redoc/logo-mini.svg"}
