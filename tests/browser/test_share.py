"""The share panel in a real browser: the copy button copies the challenge's address,
and without JavaScript the button stays hidden while the read-only field holds it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from marketplace.challenges.models import ChallengeState
from tests.browser.checks import check_page
from tests.factories import ChallengeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_copy_button_copies_the_address(page, live_server):
    challenge = ChallengeFactory(state=ChallengeState.OPEN)
    address = live_server.url + reverse("challenge_detail", args=[challenge.pk])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(address)
    button = page.get_by_role("button", name="Copy link")
    expect(button).to_be_visible()
    button.click()
    expect(page.get_by_role("button", name="Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address
    check_page(page, "en", shot="challenge-share")


def test_without_javascript_the_field_holds_the_address(browser, live_server):
    challenge = ChallengeFactory(state=ChallengeState.OPEN)
    address = live_server.url + reverse("challenge_detail", args=[challenge.pk])
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.goto(address)
    expect(page.get_by_label("Link to this challenge")).to_have_value(address)
    expect(page.locator("button[data-copy]")).to_be_hidden()
    context.close()
