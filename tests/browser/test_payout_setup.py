"""A winner sets up payouts in a real browser: their award is signed and their tax form
filed, so "Set up payouts" makes their Stripe account, which releases the prize; the
payout waits, shown as such, while they go through Stripe's hosted onboarding (the
loopback Stripe's own page, tests/stripe_connect.py); back on the site the account can
receive payouts, the waiting payout is sent and the award page shows it sent."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from marketplace.awards.services.release import winner_payout_setup
from payouts.currency import format_money
from payouts.models import PayoutState
from payouts.selectors import payouts_for
from tests.browser import walk
from tests.browser.checks import check_page
from tests.browser.test_solver_submission import log_in
from tests.browser.walk import reauthenticate
from tests.solvers.test_payout_setup_pages import signed_and_filed
from tests.story import verified
from tests.stripe_connect import stripe_connect_running

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stripe_connect(settings, monkeypatch):
    for fake in stripe_connect_running(settings, monkeypatch):
        # The loopback Stripe stands in for Stripe's onboarding origin.
        directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        settings.CONTENT_SECURITY_POLICY = {
            "DIRECTIVES": {**directives, "form-action": ["'self'", fake.url]}
        }
        yield fake


def test_a_winner_sets_up_payouts_and_is_paid(live_server, page, org, owner, stripe_connect):
    won = signed_and_filed(org, owner)
    award_url = live_server.url + reverse("solvers:award_detail", args=[won.award.pk])
    log_in(page, live_server.url, verified(won.winner))
    page.goto(award_url)
    check_page(page, "en")

    page.get_by_role("button", name="Set up payouts").click()
    if "reauthenticate" in page.url:
        reauthenticate(page, won.winner)
    expect(page.get_by_role("heading", name="Set up payouts")).to_be_visible()
    assert page.url.startswith(stripe_connect.url)
    [payout] = payouts_for(won.award.reference)
    assert (payout.state, payout.attempts) == (PayoutState.PENDING, 0)

    page.goto(award_url)  # the winner looks before finishing: the payout waits
    waiting = page.locator('tr[data-payout-stage="waiting"]')
    expect(waiting).to_contain_text("Waiting for you to finish payout set-up with Stripe")
    page.get_by_role("button", name="Continue payout set-up").click()
    page.get_by_role("button", name="Finish").click()

    expect(page.locator(".messages")).to_contain_text("Your payout set-up is complete")
    sent = page.locator('tr[data-payout-stage="sent"]')
    expect(sent).to_contain_text(format_money(payout.amount, payout.currency, "en"))
    expect(sent).to_contain_text("Sent")
    check_page(page, "en")
    payout.refresh_from_db()
    assert payout.state == PayoutState.SUCCEEDED
    assert [form["destination"] for form, _key in stripe_connect.requests] == [payout.destination]


def test_a_waiting_payout_reads_well_in_each_language(
    live_server, reader, language, org, owner, stripe_connect, django_capture_on_commit_callbacks
):
    won = signed_and_filed(org, owner)
    with django_capture_on_commit_callbacks(execute=True):
        winner_payout_setup(
            user=won.winner, refresh_url=live_server.url, return_url=live_server.url
        )
    walk.log_in(reader, live_server.url, verified(won.winner), language)
    walk.visit(
        reader, live_server.url + reverse("solvers:award_detail", args=[won.award.pk]), language
    )
    expect(reader.locator('tr[data-payout-stage="waiting"]')).to_be_visible()
