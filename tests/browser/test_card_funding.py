"""Funding a challenge by card in a real browser, with the stripe gateway pointed at
localstripe and the page loading localstripe's Stripe.js: the owner presses "Fund
now", types a card into the card Element and pays; localstripe posts its webhook to the
live server, which confirms the payment, and the page, which waited for that, reloads
funded. A 3-D Secure card asks first; a declined card says so and the same payment
takes another card; paying twice, or again after a reload, pays once."""

import json
import time
import urllib.request

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from marketplace.challenges.models import ChallengeState
from payouts.models import Entry, GatewayEvent, Payment, PaymentState
from tests.browser.checks import check_page
from tests.browser.walk import log_in, submit
from tests.factories import ChallengeFactory
from tests.payouts.conftest import signature_header
from tests.story import verified
from tests.stripe_fakes import GOOD_CARD
from tests.stripe_fakes import localstripe_url as localstripe_url  # a fixture
from tests.stripe_fakes import localstripe_webhook as localstripe_webhook  # a fixture
from tests.stripe_fakes import stripe_api as stripe_api  # a fixture
from tests.stripe_fakes import stripe_event as stripe_event  # a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THREE_D_SECURE_CARD = "4000002500003155"
DECLINED_CARD = "4000000000000002"
WAIT_MS = 20_000  # localstripe sends its webhook a second after the payment


@pytest.fixture
def challenge(org, owner):
    verified(owner)
    return ChallengeFactory(
        organization=org, created_by=owner, state=ChallengeState.AWAITING_FUNDING
    )


@pytest.fixture
def webhooks(live_server, stripe_api, localstripe_webhook):
    """localstripe posts its events to the live server's webhook."""
    localstripe_webhook(live_server.url + reverse("stripe_webhook"))


def card_form(page, url, challenge, owner, language="en"):
    """Log in as the owner, press "Fund now": the card form of the payment."""
    log_in(page, url, owner, language)
    page.goto(url + reverse("seekers:challenge_manage", args=[challenge.pk]))
    submit(page, reverse("seekers:challenge_fund", args=[challenge.pk]))
    form = page.locator("#card-funding")
    expect(form.locator("#card-element input").first).to_be_visible()
    return form


def pay(form, number: str) -> None:
    """Type the card into (localstripe's) card Element and press pay."""
    for field, value in {
        "number": number,
        "exp_month": "12",
        "exp_year": "35",
        "cvc": "123",
        "postal_code": "10001",
    }.items():
        form.locator(f"#card-element input[placeholder={field}]").fill(value)
    form.locator("button[type=submit]").click()


def state(form, name: str):
    return form.locator(f'[data-state="{name}"]')


def funded(page, challenge) -> None:
    """The page reloaded once the webhook confirmed the payment: no card form left, and
    exactly one payment, succeeded, posted once to the ledger."""
    expect(page.locator("#funding")).not_to_contain_text("Pay by card", timeout=WAIT_MS)
    expect(page.locator("#card-funding")).to_have_count(0)
    payment = Payment.objects.get()
    assert payment.state == PaymentState.SUCCEEDED
    assert Entry.objects.filter(kind="fund").count() == 1
    assert Entry.objects.get(kind="fund").memo == f"Payment {payment.pk} via stripe"


def test_a_good_card_funds_the_challenge_once_the_webhook_confirms_it(
    live_server, reader, language, challenge, owner, webhooks
):
    form = card_form(reader, live_server.url, challenge, owner, language)
    check_page(reader, language, shot="card-funding")

    pay(form, GOOD_CARD)

    expect(state(form, "processing")).to_be_visible()
    funded(reader, challenge)
    expect(reader.locator("#funding")).to_contain_text(
        {"en": "Fully funded", "es": "Totalmente financiado"}[language]
    )
    check_page(reader, language)
    event = GatewayEvent.objects.get(type="payment_intent.succeeded")
    assert event.outcome == GatewayEvent.Outcome.PROCESSED


def test_a_three_d_secure_card_is_authenticated_then_funds(
    live_server, page, challenge, owner, webhooks
):
    form = card_form(page, live_server.url, challenge, owner)

    pay(form, THREE_D_SECURE_CARD)
    page.get_by_role("button", name="Complete authentication").click()

    expect(state(form, "processing")).to_be_visible()
    funded(page, challenge)


def test_failing_three_d_secure_says_so_and_charges_nothing(
    live_server, page, challenge, owner, webhooks
):
    form = card_form(page, live_server.url, challenge, owner)

    pay(form, THREE_D_SECURE_CARD)
    page.get_by_role("button", name="Fail authentication").click()

    expect(state(form, "authentication-failed")).to_be_visible()
    expect(state(form, "authentication-failed")).to_contain_text("Nothing was charged")
    assert Payment.objects.get().state == PaymentState.PENDING
    assert not Entry.objects.exists()


def test_a_declined_card_says_so_then_another_card_pays_the_same_payment(
    live_server, page, challenge, owner, webhooks, stripe_api
):
    form = card_form(page, live_server.url, challenge, owner)
    secret = form.get_attribute("data-client-secret")

    pay(form, DECLINED_CARD)

    expect(state(form, "declined")).to_be_visible()
    expect(state(form, "declined")).to_contain_text("Your card was declined.")
    expect(form.locator("button[type=submit]")).to_be_enabled()
    check_page(page, "en")
    # Stripe reports the declined try; the payment stays on its way, nothing is posted.
    _wait_for(lambda: GatewayEvent.objects.filter(type="payment_intent.payment_failed").exists())
    assert Payment.objects.get().state == PaymentState.PENDING
    assert not Entry.objects.exists()

    pay(form, GOOD_CARD)

    expect(state(form, "processing")).to_be_visible()
    funded(page, challenge)
    assert Payment.objects.get().client_secret == secret
    assert len(stripe_api.v1.payment_intents.list().data) == 1


def test_paying_twice_or_again_after_a_reload_pays_once(
    live_server, page, challenge, owner, stripe_api, stripe_event
):
    """No webhook is registered here, so the payment is still on its way after the
    reload, whatever the timing; then the test delivers localstripe's own event."""
    form = card_form(page, live_server.url, challenge, owner)
    secret = form.get_attribute("data-client-secret")

    for field, value in {"number": GOOD_CARD, "exp_month": "12", "exp_year": "35"}.items():
        form.locator(f"#card-element input[placeholder={field}]").fill(value)
    form.locator("#card-element input[placeholder=cvc]").fill("123")
    form.locator("button[type=submit]").dblclick()
    expect(state(form, "processing")).to_be_visible()

    page.reload()
    form = page.locator("#card-funding")
    assert form.get_attribute("data-client-secret") == secret
    pay(form, GOOD_CARD)
    expect(state(form, "processing")).to_be_visible()

    # Another tab shows the same payment, still on its way.
    other = page.context.new_page()
    other.goto(live_server.url + reverse("seekers:challenge_manage", args=[challenge.pk]))
    assert other.locator("#card-funding").get_attribute("data-client-secret") == secret
    other.close()
    [intent] = stripe_api.v1.payment_intents.list().data
    assert intent.status == "succeeded"
    event = stripe_event("payment_intent.succeeded", intent.id)
    _deliver(live_server.url, event)
    funded(page, challenge)
    assert intent.id == Payment.objects.get().provider_id


def _deliver(url: str, event: dict) -> None:
    body = json.dumps(event)
    request = urllib.request.Request(
        url + reverse("stripe_webhook"),
        data=body.encode(),
        headers={"Content-Type": "application/json", "Stripe-Signature": signature_header(body)},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200


def _wait_for(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
